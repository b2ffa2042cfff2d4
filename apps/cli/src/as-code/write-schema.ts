import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildOpenApiDocument } from "@upfleet/api/src/http/openapi.ts";
import { pingRoutes, routes } from "@upfleet/api/src/routes/index.ts";
import { fileJsonSchema, type OpenApiDocument } from "./json-schema.ts";

/** `pnpm --filter @upfleet/cli schema`: writes the JSON Schema published with the CLI (a test checks it is fresh). */
export const SCHEMA_FILE = fileURLToPath(new URL("../../schema/upfleet.schema.json", import.meta.url));

/** The document the API serves, built in-process as the SDK's generator builds it. */
export const apiDocument = () =>
  buildOpenApiDocument([...routes, ...pingRoutes], {
    version: "1.0.0",
    publicUrl: "http://localhost:3000",
  }) as unknown as OpenApiDocument;

export const publishedSchema = () => fileJsonSchema(apiDocument());

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SCHEMA_FILE, `${JSON.stringify(publishedSchema(), null, 2)}\n`);
  // In the repository's format, so that `pnpm lint` (biome) passes it and its --write changes nothing.
  execFileSync("npx", ["biome", "format", "--write", SCHEMA_FILE], { stdio: "inherit" });
}
