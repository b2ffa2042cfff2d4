import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect } from "vitest";
import { parse, stringify } from "yaml";
import { EXIT_CHANGES } from "../src/commands/as-code.ts";
import { test } from "./support/cli.ts";
import { schemaErrors } from "./support/schema.ts";

type Obj = Record<string, unknown>;

/** A file of every kind, each item naming others by key; `p` keeps each test's keys apart. */
function sampleFile(p: string): Obj {
  return {
    channels: [
      { key: `${p}-ops`, type: "email", name: "Ops", config: { to: ["ops@example.com"] } },
      {
        key: `${p}-hook`,
        type: "webhook",
        name: "Hook",
        config: {
          url: "https://hooks.example.com/T000/secret-path",
          secret: `whsec_${Buffer.alloc(32, 7).toString("base64")}`,
        },
      },
    ],
    escalation_policies: [{ key: `${p}-night`, name: "Night", steps: [{ delay_minutes: 0, channels: [`${p}-ops`] }] }],
    monitors: [
      { key: `${p}-home`, type: "http", name: "Home", url: "https://example.com/", interval_seconds: 60 },
      {
        key: `${p}-backup`,
        type: "heartbeat",
        name: "Backup",
        heartbeat_schedule: "0 3 * * *",
        escalation_policy: `${p}-night`,
      },
    ],
    rules: [
      { key: `${p}-down`, name: "Down", events: ["monitor.down"], monitors: [`${p}-home`], channels: [`${p}-hook`] },
    ],
    maintenance_windows: [
      {
        key: `${p}-upgrade`,
        name: "Upgrade",
        monitors: [`${p}-home`],
        starts_at: "2030-01-01T00:00:00Z",
        ends_at: "2030-01-01T01:00:00Z",
      },
    ],
    status_pages: [
      { key: `${p}-public`, name: "Status", slug: `st-${p}`, sections: [{ name: "Web", monitors: [`${p}-home`] }] },
    ],
  };
}

const PATHS: Record<string, string> = {
  channels: "/api/v1/notifications/channels",
  escalation_policies: "/api/v1/escalation-policies",
  monitors: "/api/v1/monitors",
  rules: "/api/v1/notifications/rules",
  maintenance_windows: "/api/v1/maintenance-windows",
  status_pages: "/api/v1/status-pages",
};

const it = test.extend<{
  /** A key prefix of this test's own. */
  p: string;
  /** Writes `content` (YAML unless a string is given) to a file of the test's and returns its path. */
  write: (content: Obj | string) => Promise<string>;
  /** The API's object of `type` with `key` (undefined when none has it). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  find: (type: string, key: string) => Promise<any>;
  /** Logs in as the owner and applies this test's sample file; the file's content, to change. */
  applied: () => Promise<Obj>;
}>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from its first argument
  p: async ({}, use) => use(`t${randomBytes(3).toString("hex")}`),
  write: async ({ cli }, use) => {
    let n = 0;
    await use(async (content) => {
      const file = path.join(cli.env.XDG_CONFIG_HOME!, `upfleet-${n++}.yaml`);
      await writeFile(file, typeof content === "string" ? content : stringify(content));
      return file;
    });
  },
  find: async ({ api, owner }, use) =>
    use(async (type, key) => {
      const res = await api.request("GET", `${PATHS[type]}?key=${key}`, { auth: owner.token });
      expect(res.status, res.text).toBe(200);
      return res.body.data[0];
    }),
  applied: async ({ cli, owner, p, write }, use) =>
    use(async () => {
      await cli.login(owner);
      const content = sampleFile(p);
      const result = await cli.run(["apply", "-f", await write(content)]);
      expect(result.code, result.stderr).toBe(0);
      return content;
    }),
});

describe("upfleet apply / diff", () => {
  it("creates every kind from a file, resolving references by key; a second apply sends nothing", async ({
    cli,
    owner,
    p,
    write,
    find,
  }) => {
    await cli.login(owner);
    const file = await write(sampleFile(p));
    const first = await cli.run(["apply", "-f", file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("8 to create, 0 to change, 0 to delete");

    const [ops, hook, night, home, backup, rule, window, page] = await Promise.all([
      find("channels", `${p}-ops`),
      find("channels", `${p}-hook`),
      find("escalation_policies", `${p}-night`),
      find("monitors", `${p}-home`),
      find("monitors", `${p}-backup`),
      find("rules", `${p}-down`),
      find("maintenance_windows", `${p}-upgrade`),
      find("status_pages", `${p}-public`),
    ]);
    expect(night.steps).toEqual([{ delay_minutes: 0, channel_ids: [ops.id] }]);
    expect(backup.escalation_policy_id).toBe(night.id);
    expect(rule).toMatchObject({ monitor_ids: [home.id], channel_ids: [hook.id], events: ["monitor.down"] });
    expect(window.monitor_ids).toEqual([home.id]);
    expect(page.sections).toEqual([{ name: "Web", monitor_ids: [home.id] }]);
    const stamps = [ops, hook, night, home, backup, rule, window, page].map((item) => item.updated_at);

    // The server's defaults, masked credentials and its instant format are no change.
    const diff = await cli.run(["diff", "-f", file]);
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);
    expect(diff.stdout).toContain("No changes");
    const again = await cli.run(["apply", "-f", file, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json).toEqual([]);
    const after = await Promise.all(
      [
        ["channels", "ops"],
        ["channels", "hook"],
        ["escalation_policies", "night"],
        ["monitors", "home"],
        ["monitors", "backup"],
        ["rules", "down"],
        ["maintenance_windows", "upgrade"],
        ["status_pages", "public"],
      ].map(([type, key]) => find(type!, `${p}-${key}`)),
    );
    expect(after.map((item) => item.updated_at)).toEqual(stamps);
  });

  it("a changed field is exactly that update; diff exits 10 until it is applied", async ({
    cli,
    p,
    write,
    find,
    applied,
  }) => {
    const content = await applied();
    const before = await find("rules", `${p}-down`);
    (content.monitors as Obj[])[0]!.interval_seconds = 30;
    const changed = await write(content);

    const diff = await cli.run(["diff", "-f", changed]);
    expect(diff.code).toBe(EXIT_CHANGES);
    expect(diff.stdout).toBe(
      `~ monitor ${p}-home\n    interval_seconds: 60 → 30\n0 to create, 1 to change, 0 to delete\n`,
    );
    const json = await cli.run(["diff", "-f", changed, "--json"]);
    expect(json.json).toEqual([
      {
        action: "update",
        type: "monitors",
        key: `${p}-home`,
        changes: [{ field: "interval_seconds", from: 60, to: 30 }],
      },
    ]);
    expect((await cli.run(["apply", "-f", changed, "--dry-run"])).code).toBe(0);
    expect((await find("monitors", `${p}-home`)).interval_seconds).toBe(60);

    expect((await cli.run(["apply", "-f", changed])).code).toBe(0);
    expect((await find("monitors", `${p}-home`)).interval_seconds).toBe(30);
    expect((await find("rules", `${p}-down`)).updated_at).toBe(before.updated_at);
    expect((await cli.run(["diff", "-f", changed])).code).toBe(0);
  });

  it("--prune deletes keyed resources the file no longer lists, never those without a key", async ({
    cli,
    api,
    owner,
    p,
    write,
    find,
    applied,
  }) => {
    const content = await applied();
    const unkeyed = await api.request("POST", PATHS.monitors!, {
      auth: owner.token,
      body: { type: "http", name: "by hand", url: "https://example.org/" },
    });
    content.rules = [];
    content.status_pages = [];
    const smaller = await write(content);

    // Without --prune nothing is deleted, and other tests' keyed resources are not this file's business.
    expect((await cli.run(["diff", "-f", smaller])).code).toBe(0);
    const diff = await cli.run(["diff", "-f", smaller, "--prune", "--json"]);
    expect(diff.code).toBe(EXIT_CHANGES);
    const deleted = (diff.json as { action: string; key: string }[]).filter((step) => step.key.startsWith(p));
    expect(deleted).toEqual([
      { action: "delete", type: "status_pages", key: `${p}-public` },
      { action: "delete", type: "rules", key: `${p}-down` },
    ]);
    expect(diff.json.every((step: { action: string }) => step.action === "delete")).toBe(true);
    // A kind the file leaves out is not the file's to prune.
    const onlyMonitors = await cli.run([
      "diff",
      "-f",
      await write({ monitors: content.monitors }),
      "--prune",
      "--json",
    ]);
    expect(onlyMonitors.json.every((step: { type: string }) => step.type === "monitors")).toBe(true);

    expect((await cli.run(["apply", "-f", smaller, "--prune"])).code).toBe(0);
    expect(await find("rules", `${p}-down`)).toBeUndefined();
    expect(await find("status_pages", `${p}-public`)).toBeUndefined();
    expect((await find("monitors", `${p}-home`)).key).toBe(`${p}-home`);
    const kept = await api.request("GET", `${PATHS.monitors}/${unkeyed.body.id}`, { auth: owner.token });
    expect(kept.status).toBe(200);
  });

  it("export writes a file that apply takes as it is", async ({ cli, p, write, applied }) => {
    await applied();
    const exported = await cli.run(["export"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`key: ${p}-home`);
    expect(exported.stdout).toContain(`- ${p}-ops`); // a policy's step names its channel by key
    // Editors take it too: its masked credentials are in the published schema.
    expect(schemaErrors(parse(exported.stdout))).toEqual([]);
    const roundTrip = await cli.run(["diff", "-f", await write(exported.stdout), "--prune"]);
    expect(roundTrip.code, roundTrip.stdout + roundTrip.stderr).toBe(0);
    const json = await cli.run(["export", "--format", "json"]);
    expect(json.json.monitors.map((m: { key: string }) => m.key)).toContain(`${p}-backup`);
  });

  it("export --all first keys what has no key, from its name", async ({ cli, api, owner, p }) => {
    await cli.login(owner);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await api.request("POST", PATHS.monitors!, {
        auth: owner.token,
        body: { type: "http", name: `Billing API ${p}`, url: "https://example.org/" },
      });
      ids.push(res.body.id);
    }
    const exported = await cli.run(["export", "--all", "--format", "json"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).not.toContain("left out");
    const keys = await Promise.all(
      ids.map(async (id) => (await api.request("GET", `${PATHS.monitors}/${id}`, { auth: owner.token })).body.key),
    );
    expect(keys).toEqual([`billing-api-${p}`, `billing-api-${p}-2`]);
    expect(exported.json.monitors.map((m: { key: string }) => m.key)).toEqual(expect.arrayContaining(keys));
  });
});

describe("a file apply refuses", () => {
  it("names the path in the file of each problem, and exits 2 before changing anything", async ({
    cli,
    owner,
    p,
    write,
    find,
  }) => {
    await cli.login(owner);
    const bad = await cli.run([
      "apply",
      "-f",
      await write({
        monitors: [
          { key: `${p}-x`, type: "nope", name: "x" },
          { key: "Upper", type: "http", name: "y" },
        ],
      }),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("monitors[0].type:");
    expect(bad.stderr).toContain("monitors[1].key:");
    expect((await cli.run(["apply", "-f", await write("monitors: [")])).code).toBe(2);
    expect((await cli.run(["diff", "-f", "/nonexistent/upfleet.yaml"])).code).toBe(2);
    const twice = { key: `${p}-same`, type: "email", name: "x", config: { to: ["x@example.com"] } };
    expect((await cli.run(["apply", "-f", await write({ channels: [twice, twice] })])).stderr).toContain(
      "channels[1].key: is used twice",
    );
    expect((await cli.run(["apply", "-f", await write({ monitor: [] })])).stderr).toContain('"monitor"');

    const dangling = sampleFile(p);
    (dangling.rules as Obj[])[0]!.channels = [`${p}-ops`, "nowhere"];
    const refused = await cli.run(["apply", "-f", await write(dangling)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('rules[0].channels[1]: no channels has the key "nowhere"');
    expect(await find("channels", `${p}-ops`)).toBeUndefined();
  });

  it("reports what the API refuses at the item's path (exit 1)", async ({ cli, owner, p, write }) => {
    await cli.login(owner);
    const result = await cli.run([
      "apply",
      "-f",
      await write({ monitors: [{ key: `${p}-m`, type: "http", name: "m", url: "ftp://example.com/" }] }),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`monitors[0] (${p}-m)`);
    expect(result.stderr).toContain(`monitors[0] (${p}-m).url:`);
  });
});

it("the example file next to the schema applies as it is, a second diff shows nothing, its export passes the schema", async ({
  cli,
  owner,
}) => {
  await cli.login(owner);
  const example = fileURLToPath(new URL("../schema/example.yaml", import.meta.url));
  const applied = await cli.run(["apply", "-f", example]);
  expect(applied.code, applied.stderr).toBe(0);
  expect(applied.stdout).toContain("16 to create, 0 to change, 0 to delete");
  expect((await cli.run(["diff", "-f", example])).code).toBe(0);
  // Its export, every monitor and channel type as the API reads them back (credentials masked), passes
  // the published schema: no read-only field is written, every masked one is taken.
  const exported = await cli.run(["export"]);
  expect(schemaErrors(parse(exported.stdout))).toEqual([]);
});
