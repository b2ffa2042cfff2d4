import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Io } from "../context.ts";
import { usageError } from "../exit-codes.ts";
import { readStdin } from "../prompt.ts";

/**
 * The monitors-as-code file: each item is the API's create body plus its `key`, with references to
 * other items by key (`channels`, `monitors`, `escalation_policy`) instead of ids. Items are loose
 * objects past the fields named here: the API checks the rest (a monitor type's own fields) and its
 * answer is reported at the item's path in the file. The JSON Schema published for editors is complete:
 * json-schema.ts builds it from the API's OpenAPI document.
 */

export const Key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "must be 1–63 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
  .meta({ description: "Your stable name for the resource: how apply finds it again (unique per type)" });
const Keys = (what: string) => z.array(Key).meta({ description: `Keys of ${what} (in this file or already keyed)` });
const Name = z.string().min(1).max(200);

const item = <T extends z.core.$ZodLooseShape>(shape: T, description: string) =>
  z.looseObject({ key: Key, name: Name, ...shape }).meta({ description });

const Monitor = item(
  {
    type: z.enum(["http", "tcp", "dns", "ping", "ssl", "heartbeat", "api"]),
    interval_seconds: z.number().int().optional(),
    timeout_ms: z.number().int().optional(),
    regions: z.array(z.string()).optional(),
    tags: z.array(z.string()).optional(),
    paused: z.boolean().optional(),
    escalation_policy: Key.nullable().optional().meta({ description: "Key of an escalation policy" }),
  },
  "A monitor: the fields of POST /monitors for its type (url, host, http_method, heartbeat_schedule…)",
);

const Channel = item(
  {
    type: z.enum(["webhook", "slack", "discord", "email"]),
    config: z.record(z.string(), z.unknown()).meta({ description: "url/secret, webhook_url or to, by type" }),
    enabled: z.boolean().optional(),
  },
  "A notification channel",
);

const Policy = item(
  {
    steps: z.array(z.strictObject({ delay_minutes: z.number().int(), channels: Keys("channels").min(1) })).min(1),
  },
  "An escalation policy",
);

const Rule = item(
  {
    events: z.array(z.string()).nullable().optional().meta({ description: "Left out or null: every event" }),
    monitors: Keys("monitors").nullable().optional().meta({ description: "Left out or null: every monitor" }),
    tags: z.array(z.string()).nullable().optional(),
    channels: Keys("channels").optional(),
    escalation_policy: Key.nullable().optional(),
  },
  "A notification rule",
);

const Window = item(
  {
    monitors: Keys("monitors").min(1),
    starts_at: z.string(),
    ends_at: z.string(),
    repeat: z.enum(["daily", "weekly"]).nullable().optional(),
    timezone: z.string().optional(),
  },
  "A maintenance window",
);

const Page = item(
  {
    slug: z.string(),
    sections: z.array(z.strictObject({ name: z.string(), monitors: Keys("monitors").min(1) })).min(1),
    custom_domain: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    published: z.boolean().optional(),
  },
  "A status page",
);

/**
 * Items of one kind, each key once. A kind the file leaves out is not managed by it (even --prune leaves
 * it alone); an empty list is "none of this kind", which --prune makes so.
 */
const listOf = <T extends z.ZodType<{ key: string }>>(schema: T) =>
  z
    .array(schema)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((entry, i) => {
        if (seen.has(entry.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: "is used twice" });
        seen.add(entry.key);
      });
    })
    .optional();

export const UpfleetFile = z.strictObject({
  $schema: z.string().optional(),
  channels: listOf(Channel),
  escalation_policies: listOf(Policy),
  monitors: listOf(Monitor),
  rules: listOf(Rule),
  maintenance_windows: listOf(Window),
  status_pages: listOf(Page),
});

export type UpfleetFile = z.output<typeof UpfleetFile>;
export type Section = Exclude<keyof UpfleetFile, "$schema">;
export type FileItem = { key: string } & Record<string, unknown>;

/** `monitors[2].url`: a path inside the file as people write it. */
export function filePath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${String(part)}`)).join("");
}

const cannotRead = (file: string) => (error: Error) => {
  throw usageError(`cannot read ${file}: ${error.message}`);
};

/** Reads and checks a YAML or JSON file (`-`: stdin); any problem is a usage error naming its path in the file. */
export async function readUpfleetFile(io: Io, file: string): Promise<UpfleetFile> {
  const text = file === "-" ? await readStdin(io) : await readFile(file, "utf8").catch(cannotRead(file));
  let value: unknown;
  try {
    // YAML 1.2 is a superset of JSON: one parser reads both.
    value = parseYaml(text);
  } catch (error) {
    throw usageError(`${file} is neither YAML nor JSON: ${(error as Error).message}`);
  }
  const parsed = UpfleetFile.safeParse(value ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${filePath(issue.path) || "(file)"}: ${issue.message}`);
    throw usageError(`${file} is not a valid Upfleet file:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
