import { randomBytes } from "node:crypto";
import { type Db, isConnectionError } from "@upfleet/db";
import { generateKeyringText, type Keyring, parseKeyring, withDecryptOnly } from "./keyring.ts";

/**
 * A value generated on first start and kept in the `settings` table, so every instance and every
 * restart agree on it: the development default of APP_SECRET and ENCRYPTION_KEY (config requires
 * both when NODE_ENV=production). Concurrent first starts agree too: the first insert wins.
 */
export async function generatedSetting(db: Db, key: string, generate: () => string): Promise<string> {
  await db.setting.createMany({ data: [{ key, value: generate() }], skipDuplicates: true });
  const stored = await db.setting.findUniqueOrThrow({ where: { key } });
  return stored.value;
}

const APP_SECRET_SETTING = "app_secret";
const ENCRYPTION_KEY_SETTING = "encryption_key";
/** The key id of the generated development key. */
export const GENERATED_KEY_ID = "dev";

export async function resolveAppSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  return generatedSetting(db, APP_SECRET_SETTING, () => randomBytes(48).toString("base64url"));
}

/**
 * ENCRYPTION_KEY when configured, else the generated development key. A configured ring can still
 * decrypt values written under an earlier generated key (a deployment that started without one), so
 * setting ENCRYPTION_KEY loses nothing; `secrets:rotate` then rewrites them under the configured key.
 */
export async function resolveKeyring(db: Db, configured: Keyring | undefined): Promise<Keyring> {
  if (!configured) {
    return parseKeyring(
      await generatedSetting(db, ENCRYPTION_KEY_SETTING, () => generateKeyringText(GENERATED_KEY_ID)),
    );
  }
  try {
    const stored = await db.setting.findUnique({ where: { key: ENCRYPTION_KEY_SETTING } });
    return stored ? withDecryptOnly(configured, parseKeyring(stored.value)) : configured;
  } catch (error) {
    // A configured process starts while PostgreSQL is down (and reports not ready) rather than
    // crash-looping; it then lacks only a development key nobody has rotated away from yet.
    if (isConnectionError(error)) return configured;
    throw error;
  }
}
