import { createMigration } from "../migrations/migrator.ts";
import { cliDatabaseUrl, runCli } from "./run-cli.ts";

runCli(async () => {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_-]+$/i.test(name)) {
    throw new Error("usage: pnpm db:migration <name>   (letters, digits, _ and -)");
  }
  const folder = await createMigration(cliDatabaseUrl(), name);
  return folder ? `wrote prisma/migrations/${folder}/migration.sql` : "schema and migrations agree: nothing to write";
});
