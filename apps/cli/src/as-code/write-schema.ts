import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { fileJsonSchema } from "./file.ts";

/** `pnpm --filter @upfleet/cli schema`: writes the JSON Schema published with the CLI (a test checks it is fresh). */
export const SCHEMA_FILE = fileURLToPath(new URL("../../schema/upfleet.schema.json", import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SCHEMA_FILE, fileJsonSchema());
  // In the repository's format, so that `pnpm lint` (biome) passes it and its --write changes nothing.
  execFileSync("npx", ["biome", "format", "--write", SCHEMA_FILE], { stdio: "inherit" });
}
