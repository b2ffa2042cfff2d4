import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { SCHEMA_PATH } from "../migrations/migrator.ts";

/**
 * `prisma generate` needs no engine for the Rust-free client, but the CLI insists that a schema
 * engine binary exists; pointing it at any file (this one) stops it from trying to download one.
 */
const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, "generate", `--schema=${SCHEMA_PATH}`], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exitCode = result.status ?? 1;
