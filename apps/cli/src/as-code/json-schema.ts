import { z } from "zod";
import { Key } from "./file.ts";
import { KINDS, type Kind, type RefField } from "./kinds.ts";
import { MASK } from "./plan.ts";

/**
 * The file's JSON Schema, for editors: each kind's items are the API's create body as its OpenAPI
 * document describes it (every monitor type's and channel type's own fields, a `oneOf` by `type`), with
 * the `key` required and every id reference swapped for the by-key one the file uses. Read-only fields
 * are left out, and a credential the API reads back masked also takes its mask, as `export` writes it.
 * Built by `pnpm --filter @upfleet/cli schema` (write-schema.ts), never at run time: the CLI itself
 * checks only what apply needs and leaves the rest to the API.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $ref?: string;
  description?: string;
  [keyword: string]: unknown;
}

/** What this reads of an OpenAPI 3.1 document. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema> };
}

const MASKED: JsonSchema = {
  type: "string",
  pattern: MASK,
  description: "Masked, as the API reads it back and `upfleet export` writes it: apply keeps the stored value",
};
const KEY = withoutDialect(z.toJSONSchema(Key, { target: "draft-7" }) as JsonSchema);

function withoutDialect({ $schema: _, ...schema }: JsonSchema): JsonSchema {
  return schema;
}

/** The schema `$ref` points at (components only), or the schema itself. */
function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const name = schema.$ref?.replace("#/components/schemas/", "");
  return name === undefined ? schema : resolve(doc, doc.components.schemas[name]!);
}

/**
 * A schema with its references inlined and OpenAPI's words made JSON Schema draft-07's: `example`
 * becomes `examples`; a discriminator keeps only its property (Ajv and editors do not read `mapping`).
 */
function plain(doc: OpenApiDocument, schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map((entry) => plain(doc, entry));
  if (schema === null || typeof schema !== "object") return schema;
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(resolve(doc, schema as JsonSchema))) {
    if (keyword === "example") out.examples = [value];
    else if (keyword === "discriminator") out.discriminator = { propertyName: (value as JsonSchema).propertyName };
    // Field names are not keywords: a field called `example` stays one.
    else if (keyword === "properties") {
      const fields = Object.entries(value as object).map(([name, field]) => [name, plain(doc, field) as JsonSchema]);
      out.properties = Object.fromEntries(fields);
    } else out[keyword] = plain(doc, value);
  }
  return out;
}

/** The request or response body schema of the kind's POST. */
function bodyOf(doc: OpenApiDocument, kind: Kind, part: "request" | "response"): JsonSchema {
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI operation, read along a path the API always has
  const post = doc.paths[kind.path]!.post as any;
  const body = part === "request" ? post.requestBody : post.responses["201"];
  return plain(doc, body.content["application/json"].schema) as JsonSchema;
}

/** The variants of a union (oneOf/anyOf), or the schema itself. */
const variants = (schema: JsonSchema): JsonSchema[] => schema.oneOf ?? schema.anyOf ?? [schema];

/** Dotted paths (`config.secret`) of the fields a response shows masked: its description shows the mask. */
function maskedPaths(schema: JsonSchema, prefix = ""): string[] {
  return variants(schema).flatMap((variant) =>
    Object.entries(variant.properties ?? {}).flatMap(([name, field]) =>
      field.description?.includes(MASK) ? [prefix + name] : maskedPaths(field, `${prefix}${name}.`),
    ),
  );
}

/** A field naming other resources by id, as the file names them: by key. */
function byKey(field: JsonSchema, ref: RefField): JsonSchema {
  const noun = KINDS.find((kind) => kind.section === ref.to)!.noun;
  const what = ref.many ? `Keys of ${noun}s` : `Key of the ${noun}`;
  const description = [`${what} (in this file or already keyed; or the id of one without a key)`, field.description]
    .filter(Boolean)
    .join(". ");
  const key = { type: "string", pattern: KEY.pattern };
  return ref.many ? { ...field, items: key, description } : { ...key, type: field.type, description };
}

/** An object's references swapped for keys, renamed as the file names them (`channel_ids` → `channels`). */
function withKeys(schema: JsonSchema, refs: RefField[]): JsonSchema {
  const properties = { ...schema.properties };
  let required = schema.required ?? [];
  for (const ref of refs) {
    const field = properties[ref.api];
    if (field === undefined) continue;
    delete properties[ref.api];
    properties[ref.file] = byKey(field, ref);
    required = required.map((name) => (name === ref.api ? ref.file : name));
  }
  return { ...schema, properties, required };
}

/** A field of a credential the API reads back masked also takes the mask (a path of `maskedPaths`). */
function takingMasks(schema: JsonSchema, masked: string[], prefix = ""): JsonSchema {
  if (!schema.properties) return schema;
  const properties = Object.entries(schema.properties).map(([name, field]) => {
    const path = prefix + name;
    return [name, masked.includes(path) ? { anyOf: [field, MASKED] } : takingMasks(field, masked, `${path}.`)];
  });
  return { ...schema, properties: Object.fromEntries(properties) };
}

/** One variant of a kind's create body as a file item. */
function fileItem(kind: Kind, variant: JsonSchema, masked: string[]): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(variant.properties ?? {}).filter(([name]) => !kind.readOnly.includes(name)),
  );
  properties.key = KEY;
  const nested = kind.nested;
  if (nested && properties[nested.field]?.items) {
    const field = properties[nested.field]!;
    properties[nested.field] = { ...field, items: withKeys(field.items!, nested.refs) };
  }
  const required = ["key", ...(variant.required ?? []).filter((name) => name !== "key")];
  return takingMasks(withKeys({ ...variant, properties, required }, kind.refs), masked);
}

/**
 * Fails on a field the API returns that is neither written nor one of the kind's `readOnly`: export
 * would write it into files and apply send it back, to be refused.
 */
function checkReadOnly(kind: Kind, request: JsonSchema, response: JsonSchema): void {
  const known = new Set([...kind.readOnly, ...variants(request).flatMap((v) => Object.keys(v.properties ?? {}))]);
  const unknown = variants(response)
    .flatMap((variant) => Object.keys(variant.properties ?? {}))
    .filter((field) => !known.has(field));
  if (unknown.length) {
    throw new Error(
      `${kind.section}: the API returns ${[...new Set(unknown)]} that no one writes: add to its readOnly`,
    );
  }
}

/** A kind's items: its create body's variants (a `oneOf` discriminated by `type` when it has several). */
function itemsOf(doc: OpenApiDocument, kind: Kind): JsonSchema {
  const body = bodyOf(doc, kind, "request");
  const response = bodyOf(doc, kind, "response");
  checkReadOnly(kind, body, response);
  const masked = maskedPaths(response);
  const items = variants(body).map((variant) => fileItem(kind, variant, masked));
  if (items.length === 1) return items[0]!;
  return { type: "object", oneOf: items, discriminator: { propertyName: "type" } };
}

/** The whole file's schema, from the API's OpenAPI document. */
export function fileJsonSchema(doc: OpenApiDocument): JsonSchema {
  const sections = KINDS.map((kind) => [
    kind.section,
    {
      type: "array",
      description: `The organization's ${kind.section.replaceAll("_", " ")}: each the body of POST ${kind.path} plus its key`,
      items: itemsOf(doc, kind),
    },
  ]);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Upfleet monitors as code",
    description: "`upfleet apply -f <file>` makes the organization's keyed resources what this file says",
    type: "object",
    properties: { $schema: { type: "string" }, ...Object.fromEntries(sections) },
    additionalProperties: false,
  };
}
