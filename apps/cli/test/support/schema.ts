import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import formats from "ajv-formats";
import { SCHEMA_FILE } from "../../src/as-code/write-schema.ts";

/**
 * The published schema as a third-party validator reads it: Ajv in strict mode (an unknown keyword is an
 * error, so nothing of OpenAPI's dialect is left), with formats checked and the discriminator followed,
 * as editors do.
 */
// ajv-formats is CommonJS: its function is the default export of its exports.
const validate = formats
  .default(new Ajv({ strict: true, allowUnionTypes: true, allErrors: true, discriminator: true }))
  .compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));

/** What the schema finds wrong with a file, one `path: message` a line; empty when it is valid. */
export function schemaErrors(file: unknown): string[] {
  if (validate(file)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => {
    const detail = error.params.additionalProperty ?? error.params.missingProperty;
    return `${error.instancePath || "/"}: ${error.message}${detail && !error.message?.includes(detail) ? ` (${detail})` : ""}`;
  });
}
