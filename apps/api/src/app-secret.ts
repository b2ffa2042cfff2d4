import { randomBytes } from "node:crypto";
import type { Db } from "@upfleet/db";

const SETTING = "app_secret";

/**
 * APP_SECRET when configured; otherwise (development only, config enforces it) one generated on
 * first start and kept in the database, so every instance and every restart signs alike.
 */
export async function resolveAppSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const generated = randomBytes(48).toString("base64url");
  await db.setting.createMany({ data: [{ key: SETTING, value: generated }], skipDuplicates: true });
  const stored = await db.setting.findUniqueOrThrow({ where: { key: SETTING } });
  return stored.value;
}
