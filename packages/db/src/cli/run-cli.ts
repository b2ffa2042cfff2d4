import { databaseEnv, parseEnv } from "@upfleet/config";
import { z } from "zod";

export function cliDatabaseUrl(): string {
  return parseEnv(z.object(databaseEnv)).DATABASE_URL;
}

/**
 * Runs a one-shot command: prints its result, or its error without a stack, and exits.
 * Exiting explicitly matters: the wasm schema engine leaves a timer behind that would hold the
 * process for ~10 s after the work is done.
 */
export function runCli(task: () => Promise<string>): void {
  task().then(
    (message) => {
      process.stdout.write(`${message}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
