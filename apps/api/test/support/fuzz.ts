/**
 * Hostile requests generated from the API's own OpenAPI document: every operation, every body field,
 * every query and path parameter, each given values its schema refuses (wrong types, past its limits,
 * NUL and lone surrogates in values and keys, far-past and far-future instants, bad cursors, bad
 * percent-encoding) and values that are merely odd. Deterministic: the same document and ids give
 * the same requests.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema as the document serves it
type Schema = Record<string, any>;

interface Parameter {
  in: "path" | "query" | "header";
  name: string;
  schema?: Schema;
}

interface Operation {
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface FuzzRequest {
  method: string;
  /** The path with its query, percent-encoded as sent. */
  path: string;
  /** Raw body text (JSON unless the case is about malformed JSON). */
  body?: string;
  /**
   * Whether the API must refuse it (a 4xx): every value it carries is outside its schema. Otherwise
   * (odd but possibly valid values, reads) it may be accepted, but never answered with a 5xx.
   */
  refused: boolean;
  label: string;
}

/** Ids the generator puts in path parameters, by the path's first segment after the prefix. */
export type IdsByResource = Record<string, { own: string; foreign: string }>;

const FAR_INSTANTS = [
  "0000-01-01T00:00:00Z",
  "1969-12-31T23:59:59.999Z",
  "9999-12-31T20:00:00-14:00",
  "10000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "-000001-01-01T00:00:00Z",
  "2026-02-30T00:00:00Z",
];
const BAD_CURSORS = ["x", "%ZZ", "eyJ9", "A".repeat(5000), "bnVsbA", "WzEsMiwzXQ", "eyJhIjp7fX0", "\u0000"];
const BAD_LIMITS = ["-1", "0", "201", "1e9", "NaN", "1.5", "9007199254740993", ""];
const BAD_PATH_SEGMENTS = ["%ZZ", "%ED%A0%80", "%00", "%", "a%2Fb", "x".repeat(3000), "..%2F..", "%F0%9F%98%80"];
const UNSTORABLE = ["\u0000", "a\ud800b", "\udc00", "ok\u0000ok"];

/** A small seeded generator (mulberry32): reproducible picks. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FuzzGenerator {
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly ids: IdsByResource,
  ) {}

  private resolve(schema: Schema | undefined): Schema {
    let current = schema ?? {};
    while (current.$ref) current = this.doc.components.schemas[current.$ref.split("/").pop()] ?? {};
    return current;
  }

  /** The JSON types a schema admits (unions included); empty means anything. */
  private types(schema: Schema): Set<string> {
    const s = this.resolve(schema);
    const out = new Set<string>();
    const add = (t: string) => out.add(t === "integer" ? "number" : t);
    if (Array.isArray(s.type)) s.type.forEach(add);
    else if (s.type) add(s.type);
    for (const v of s.enum ?? []) add(v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
    if ("const" in s) add(s.const === null ? "null" : typeof s.const);
    for (const part of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) for (const t of this.types(part)) out.add(t);
    return out;
  }

  /** A value the schema accepts, as far as a schema can tell (ids it names may still not exist). */
  example(schema: Schema | undefined, depth = 0): unknown {
    const s = this.resolve(schema);
    if (depth > 8) return null;
    if (s.enum) return s.enum.find((v: unknown) => v !== null) ?? null;
    if ("const" in s) return s.const;
    const variants = s.oneOf ?? s.anyOf;
    if (variants) return this.example(variants[0], depth + 1);
    const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
    switch (type) {
      case "string":
        if (s.format === "date-time") return new Date(Date.UTC(2026, 0, 1)).toISOString();
        if (s.format === "email") return "fuzz@example.com";
        if (s.format === "uri") return "https://example.com/";
        return "fuzz".padEnd(Math.max(4, s.minLength ?? 0), "z").slice(0, s.maxLength ?? 1000);
      case "integer":
      case "number":
        return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      case "boolean":
        return true;
      case "array":
        return Array.from({ length: s.minItems ?? 0 }, () => this.example(s.items, depth + 1));
      case "object": {
        const out: Record<string, unknown> = {};
        for (const key of s.required ?? []) out[key] = this.example(s.properties?.[key], depth + 1);
        return out;
      }
      default:
        return null;
    }
  }

  /** Values a field's schema refuses, whatever the rest of the body. */
  private refusedValues(schema: Schema): unknown[] {
    const s = this.resolve(schema);
    const types = this.types(s);
    if (types.size === 0) return [];
    const values: unknown[] = [];
    const candidates: [string, unknown][] = [
      ["number", 12345],
      ["string", "not-this-type"],
      ["boolean", true],
      ["array", [1, "two", null]],
      ["object", { nested: { deeper: [] } }],
      ["null", null],
    ];
    for (const [type, value] of candidates) if (!types.has(type)) values.push(value);
    if (types.has("string")) {
      values.push(...UNSTORABLE);
      if (s.maxLength !== undefined) values.push("m".repeat(s.maxLength + 1), "😀".repeat(s.maxLength + 1));
      if (s.format === "date-time") values.push(...FAR_INSTANTS);
      if (s.enum) values.push("not-an-option");
    }
    if (types.has("number")) {
      if (s.minimum !== undefined) values.push(s.minimum - 1);
      if (s.maximum !== undefined) values.push(s.maximum + 1, 1e308);
      if (s.type === "integer") values.push(1.5);
    }
    if (types.has("array") && s.maxItems !== undefined) {
      values.push(Array.from({ length: s.maxItems + 1 }, () => this.example(s.items)));
    }
    if (types.has("array") && s.items) {
      for (const bad of this.refusedValues(s.items).slice(0, 6)) values.push([bad]);
    }
    if (types.has("object")) values.push({ "bad\u0000key": "v" }, { "\ud800": "v" });
    if (types.has("object") && s.properties) {
      for (const [key, prop] of Object.entries(s.properties)) {
        for (const bad of this.refusedValues(prop as Schema).slice(0, 4))
          values.push({ ...this.asObject(s), [key]: bad });
      }
    }
    return values;
  }

  /** Values that are strange but may be valid: the API may take them, never fail on them. */
  private oddValues(schema: Schema): unknown[] {
    const types = this.types(schema);
    const values: unknown[] = [];
    if (types.has("string")) {
      values.push(
        "'; DROP TABLE monitors; --",
        "{{7*7}}",
        "<script>alert(1)</script>",
        "🙂".repeat(40),
        " ",
        "=HYPERLINK(1)",
      );
    }
    if (types.has("number")) values.push(0, -0, 2 ** 31, 2 ** 53 + 1);
    return values;
  }

  private asObject(schema: Schema): Record<string, unknown> {
    const value = this.example(schema);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  }

  private pathFor(template: string, id: string | ((name: string) => string)): string {
    return template.replace(/\{([^}]+)\}/g, (_, name: string) => (typeof id === "string" ? id : id(name)));
  }

  /** The own and foreign ids for a path's parameters, by the resource its first segment names. */
  private idFor(template: string, owner: "own" | "foreign"): (name: string) => string {
    const resource = template.replace(/^\/(api\/v1\/)?/, "").split("/")[0]!;
    return (name) => {
      if (name === "monitor_id") return this.ids.monitors?.[owner] ?? "mon_missing";
      if (resource === "notifications") return this.ids[template.split("/")[4]!]?.[owner] ?? "x_missing";
      return this.ids[resource]?.[owner] ?? `${resource}_missing`;
    };
  }

  /** Every hostile request for one operation. */
  *operation(method: string, template: string, op: Operation): Generator<FuzzRequest> {
    const M = method.toUpperCase();
    const write = M !== "GET";
    const own = this.pathFor(template, this.idFor(template, "own"));
    const hasPathParams = template.includes("{");
    const label = `${M} ${template}`;
    const bodySchema = op.requestBody?.content["application/json"]?.schema;

    // Paths: bad percent-encoding and ids that do not exist or belong to another organization.
    if (hasPathParams) {
      for (const bad of BAD_PATH_SEGMENTS) {
        yield {
          method: M,
          path: this.pathFor(template, bad),
          refused: true,
          label: `${label} path ${bad.slice(0, 12)}`,
        };
      }
      const foreign = this.pathFor(template, this.idFor(template, "foreign"));
      const base = bodySchema ? JSON.stringify(this.example(bodySchema)) : undefined;
      // Public pages are anyone's to read; everything else of another organization does not exist.
      const isPublic = (op.security ?? []).length === 0;
      yield { method: M, path: foreign, body: base, refused: !isPublic, label: `${label} another organization's id` };
    }

    // Query parameters: every one out of its schema, bad cursors and limits, far instants, unknown names.
    for (const param of op.parameters ?? []) {
      if (param.in !== "query") continue;
      const values =
        param.name === "cursor"
          ? BAD_CURSORS
          : param.name === "limit"
            ? BAD_LIMITS
            : this.refusedValues(param.schema ?? {})
                .filter((v) => typeof v === "string")
                .map(String);
      for (const value of values) {
        yield {
          method: M,
          path: `${own}?${param.name}=${encodeQuery(value)}`,
          refused: write,
          label: `${label} ?${param.name}`,
        };
      }
      yield {
        method: M,
        path: `${own}?${param.name}=a&${param.name}=b`,
        refused: write,
        label: `${label} ?${param.name} twice`,
      };
    }
    yield { method: M, path: `${own}?__proto__=1&constructor=x`, refused: write, label: `${label} unknown query` };

    // Bodies: the whole body, then each field of each variant.
    if (!bodySchema) {
      if (write)
        yield {
          method: M,
          path: own,
          body: '{"unexpected":1}',
          refused: true,
          label: `${label} body where none is taken`,
        };
      return;
    }
    const wholeBodies = [
      "null",
      "[]",
      "42",
      '"text"',
      "{",
      '{"a":1,}',
      `${"[".repeat(70)}${"]".repeat(70)}`,
      `{"name":${"{".repeat(5000)}${"}".repeat(5000)}}`,
      '{"__proto__":{"admin":true}}',
      '{"bad\\u0000key":1}',
    ];
    for (const body of wholeBodies)
      yield { method: M, path: own, body, refused: true, label: `${label} body ${body.slice(0, 10)}` };

    const resolved = this.resolve(bodySchema);
    const variants: Schema[] = resolved.oneOf ?? resolved.anyOf ?? [resolved];
    for (const variant of variants) {
      const v = this.resolve(variant);
      const base = this.asObject(v);
      yield {
        method: M,
        path: own,
        body: JSON.stringify({ ...base, not_a_field: 1 }),
        refused: true,
        label: `${label} unknown field`,
      };
      for (const [key, prop] of Object.entries<Schema>(v.properties ?? {})) {
        // The discriminator: changing it picks another variant rather than breaking this one.
        if (key === "type" && variants.length > 1) continue;
        for (const value of this.refusedValues(prop)) {
          yield {
            method: M,
            path: own,
            body: JSON.stringify({ ...base, [key]: value }),
            refused: true,
            label: `${label} .${key}`,
          };
        }
        for (const value of this.oddValues(prop)) {
          yield {
            method: M,
            path: own,
            body: JSON.stringify({ ...base, [key]: value }),
            refused: false,
            label: `${label} .${key} odd`,
          };
        }
      }
    }
  }

  /** Every hostile request for every operation of the document. */
  *all(): Generator<FuzzRequest> {
    for (const [template, ops] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        // A HEAD answer has no body to hold the error shape; the path's GET is the same route.
        if (method !== "head") yield* this.operation(method, template, op);
      }
    }
  }

  /**
   * More requests from random pairs of refused values in one body, until `count` in all: what
   * single-field cases cannot show (two rules meeting).
   */
  *combined(count: number, random: () => number): Generator<FuzzRequest> {
    const withBodies = Object.entries(this.doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ template, method: method.toUpperCase(), op })),
    );
    for (let i = 0; i < count && withBodies.length > 0; i++) {
      const { template, method, op } = withBodies[Math.floor(random() * withBodies.length)]!;
      const resolved = this.resolve(op.requestBody!.content["application/json"]!.schema);
      const variants: Schema[] = resolved.oneOf ?? [resolved];
      const v = this.resolve(variants[Math.floor(random() * variants.length)]);
      const body: Record<string, unknown> = { ...this.asObject(v) };
      const keys = Object.keys(v.properties ?? {}).filter((k) => !(k === "type" && variants.length > 1));
      let mutated = false;
      for (let j = 0; j < 2 && keys.length > 0; j++) {
        const key = keys[Math.floor(random() * keys.length)]!;
        const bad = this.refusedValues(v.properties[key]);
        if (bad.length === 0) continue;
        body[key] = bad[Math.floor(random() * bad.length)];
        mutated = true;
      }
      if (!mutated) continue;
      const own = this.pathFor(template, this.idFor(template, "own"));
      yield { method, path: own, body: JSON.stringify(body), refused: true, label: `${method} ${template} combined` };
    }
  }
}

/**
 * Query values as a client would send them, except what is meant to be malformed already; a lone
 * surrogate (which encodeURIComponent refuses) goes as the UTF-8 bytes it would have: %ED%A0%80.
 */
function encodeQuery(value: string): string {
  if (/%[0-9A-Fa-f]?(?![0-9A-Fa-f])|%ZZ/.test(value)) return value;
  return value
    .split(LONE_SURROGATE)
    .map((part) => (LONE_SURROGATE.test(part) ? "%ED%A0%80" : encodeURIComponent(part)))
    .join("");
}

const LONE_SURROGATE = /([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/;
