import { databaseEnv, loadEnvOrExit } from "@upfleet/config";
import { createDb } from "@upfleet/db";
import { createLogger } from "@upfleet/logger";
import { resolveKeyring, secretsEnv } from "@upfleet/secrets";
import { z } from "zod";
import { rotateSecrets } from "../secrets-rotation.ts";

/**
 * `pnpm secrets:rotate`: every credential under ENCRYPTION_KEY's first key (legacy plaintext rows
 * sealed). Run it with the new key first and the old ones after it; exits 1 if any row failed.
 */
const config = loadEnvOrExit(z.object({ ...databaseEnv, ...secretsEnv }));
const logger = createLogger("secrets-rotate", "info");
const db = createDb(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
try {
  const ring = await resolveKeyring(db, config.ENCRYPTION_KEY);
  const report = await rotateSecrets(db, ring);
  logger.info({ key: ring.current.id, ...report }, "credentials rewritten under the current key");
  process.exitCode = report.failed.length ? 1 : 0;
} finally {
  await db.$disconnect();
}
