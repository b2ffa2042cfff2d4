import { applyMigrations } from "../migrations/migrator.ts";
import { cliDatabaseUrl, runCli } from "./run-cli.ts";

runCli(async () => {
  const applied = await applyMigrations(cliDatabaseUrl());
  return applied.length ? `applied ${applied.join(", ")}` : "database is up to date";
});
