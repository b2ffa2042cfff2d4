import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fileJsonSchema } from "../src/as-code/json-schema.ts";
import { KINDS } from "../src/as-code/kinds.ts";
import { apiDocument, publishedSchema, SCHEMA_FILE } from "../src/as-code/write-schema.ts";
import { schemaErrors } from "./support/schema.ts";

type Obj = Record<string, unknown>;

const example = parse(await readFile(fileURLToPath(new URL("../schema/example.yaml", import.meta.url)), "utf8"));
const schema = publishedSchema();

/** The example with one item of `section` changed by `edit`. */
function exampleWith(section: string, index: number, edit: (item: Obj) => void): Obj {
  const file = structuredClone(example);
  edit(file[section][index]);
  return file;
}

describe("the published JSON Schema (apps/cli/schema/upfleet.schema.json)", () => {
  it("is what `pnpm --filter @upfleet/cli schema` makes from the API's OpenAPI document today", async () => {
    // Compared as JSON: the committed file is in biome's format (pnpm lint checks it).
    const committed = JSON.parse(await readFile(SCHEMA_FILE, "utf8"));
    expect(committed, "stale: run `pnpm --filter @upfleet/cli schema`").toEqual(schema);
  });

  it("takes the example file, which has every kind, every monitor type and every channel type", () => {
    expect(schemaErrors(example)).toEqual([]);
    for (const kind of KINDS) expect(example[kind.section], kind.section).not.toHaveLength(0);
    const types = (section: string) => new Set(example[section].map((item: Obj) => item.type));
    expect(types("monitors")).toEqual(new Set(["http", "tcp", "dns", "ping", "ssl", "heartbeat", "api"]));
    expect(types("channels")).toEqual(new Set(["webhook", "slack", "discord", "email"]));
  });

  it("rejects a misspelled field of a monitor's type, naming the item and the field", () => {
    const file = exampleWith("monitors", 0, (home) => {
      home.htp_method = "HEAD";
    });
    expect(schemaErrors(file)).toEqual(["/monitors/0: must NOT have additional properties (htp_method)"]);
  });

  it("rejects a field of the wrong type, at its path", () => {
    const file = exampleWith("monitors", 0, (home) => {
      home.interval_seconds = "60";
    });
    expect(schemaErrors(file)).toEqual(["/monitors/0/interval_seconds: must be integer"]);
  });

  it("rejects an http monitor without its url", () => {
    const file = exampleWith("monitors", 0, (home) => {
      delete home.url;
    });
    expect(schemaErrors(file)).toEqual(["/monitors/0: must have required property 'url'"]);
  });

  it("types a channel's config by the channel's type", () => {
    const slack = example.channels.findIndex((channel: Obj) => channel.type === "slack");
    const file = exampleWith("channels", slack, (channel) => {
      channel.config = { url: "https://hooks.slack.com/services/T0/B0/x" };
    });
    expect(schemaErrors(file)).toEqual([
      `/channels/${slack}/config: must have required property 'webhook_url'`,
      `/channels/${slack}/config: must NOT have additional properties (url)`,
    ]);
  });

  it("rejects an unknown type, and an id reference where the file takes keys", () => {
    const file = exampleWith("monitors", 0, (home) => {
      home.type = "htp";
    });
    expect(schemaErrors(file)).toEqual(['/monitors/0: value of tag "type" must be in oneOf']);
    const rule = exampleWith("rules", 0, (r) => {
      r.channel_ids = ["nch_1"];
    });
    expect(schemaErrors(rule)).toEqual(["/rules/0: must NOT have additional properties (channel_ids)"]);
  });

  it("takes credentials masked as export writes them", () => {
    const hook = example.channels.findIndex((channel: Obj) => channel.type === "webhook");
    const file = exampleWith("channels", hook, (channel) => {
      channel.config = { url: "https://hooks.example.com/••••", secret: "whsec_••••abcd" };
    });
    expect(schemaErrors(file)).toEqual([]);
  });

  it("has no id reference left: each is the by-key one (no *_id or *_ids field at any depth)", () => {
    const idFields = JSON.stringify(schema).match(/"[a-z_]+_ids?":/g);
    expect(idFields).toBeNull();
  });

  it("fails to build while the API returns a field the CLI neither writes nor knows as read-only", () => {
    // export would write such a field into files, and apply send it back to be refused.
    const doc = apiDocument();
    const rule = doc.components.schemas.NotificationRule!;
    rule.properties = { ...rule.properties, fired_count: { type: "integer" } };
    expect(() => fileJsonSchema(doc)).toThrow("rules: the API returns fired_count that no one writes");
  });
});
