import { startReceiver } from "@upfleet/delivery/testing";
import { expect } from "vitest";
import { EXIT_TEST_FAILED } from "../src/commands/channels.ts";
import { cliTest } from "./support/cli.ts";

// Test sends go to a receiver on loopback, which the API's outbound guard refuses unless opened.
const test = cliTest({ OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8" });

test("channels create, list, test and delete, as tables and as --json", async ({ cli, owner }) => {
  const receiver = await startReceiver();
  try {
    await cli.login(owner);
    receiver.always("/gone", { status: 410 });
    const hook = await cli.run([
      "channels",
      "create",
      "--type",
      "webhook",
      "--name",
      "Hook",
      "--url",
      `${receiver.url}/ok`,
    ]);
    expect(hook.code, hook.stderr).toBe(0);
    expect(hook.stdout).toMatch(/^type\s+webhook$/m);
    expect(hook.stdout).toMatch(/"secret":"whsec_[A-Za-z0-9+/=]{20,}"/); // generated, shown whole this once
    expect(hook.stderr).toContain("shown this once");
    const email = await cli.run([
      "channels",
      "create",
      "--type",
      "email",
      "--name",
      "Ops",
      "--to",
      "a@example.com",
      "--to",
      "b@example.com",
    ]);
    expect(email.stdout).toMatch(/^config\s+\{"to":\["a@example.com","b@example.com"\]\}$/m);
    const gone = await cli.run([
      "channels",
      "create",
      "--type",
      "slack",
      "--name",
      "Gone",
      "--url",
      `${receiver.url}/gone`,
      "--json",
    ]);
    expect(gone.json).toMatchObject({
      type: "slack",
      enabled: true,
      config: { webhook_url: expect.stringContaining("••••") },
    });

    const list = await cli.run(["channels", "list"]);
    const lines = list.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+TYPE\s+ENABLED\s+TARGET$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(1))).toEqual([
      ["Gone", "slack", "yes", `${receiver.url}/••••`],
      ["Ops", "email", "yes", "a@example.com, b@example.com"],
      ["Hook", "webhook", "yes", `${receiver.url}/••••`],
    ]);
    const listed = await cli.run(["channels", "list", "--json"]);
    expect(listed.json.map((c: { name: string }) => c.name)).toEqual(["Gone", "Ops", "Hook"]);

    const hookId = listed.json[2].id;
    const ok = await cli.run(["channels", "test", hookId]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^Test to ${hookId}: succeeded \\(HTTP 200, \\d+ ms\\)$`, "m"));
    expect(receiver.at("/ok")).toHaveLength(1);
    const failed = await cli.run(["channels", "test", gone.json.id, "--json"]);
    expect(failed.code).toBe(EXIT_TEST_FAILED);
    expect(failed.json).toMatchObject({
      channel_id: gone.json.id,
      event: "test",
      status: "failed",
      response_status: 410,
    });

    expect(await cli.run(["channels", "delete", gone.json.id])).toMatchObject({
      code: 0,
      stdout: `Deleted ${gone.json.id}\n`,
    });
    expect((await cli.run(["channels", "test", gone.json.id])).code).toBe(3);
    expect((await cli.run(["channels", "delete", gone.json.id, "--json"])).code).toBe(3);
  } finally {
    await receiver.close();
  }
});

test("rules create, list and delete; a channel a rule uses is a conflict to delete (exit 1)", async ({
  cli,
  owner,
}) => {
  await cli.login(owner);
  const channel = (
    await cli.run(["channels", "create", "--type", "email", "--name", "Ops", "--to", "o@example.com", "--json"])
  ).json;
  const monitor = (
    await cli.run(["monitors", "create", "--type", "http", "--name", "Site", "--url", "https://example.com/", "--json"])
  ).json;
  const down = await cli.run([
    "rules",
    "create",
    "--name",
    "Down",
    "--event",
    "monitor.down",
    "--event",
    "monitor.up",
    "--monitor",
    monitor.id,
    "--channel",
    channel.id,
    "--json",
  ]);
  expect(down.code, down.stderr).toBe(0);
  expect(down.json).toMatchObject({
    name: "Down",
    events: ["monitor.down", "monitor.up"],
    monitor_ids: [monitor.id],
    tags: null,
    channel_ids: [channel.id],
  });
  const everything = await cli.run([
    "rules",
    "create",
    "--name",
    "Everything",
    "--tag",
    "prod",
    "--channel",
    channel.id,
  ]);
  expect(everything.stdout).toMatch(/^events\s+all$/m);
  expect(everything.stdout).toMatch(/^tags\s+prod$/m);

  const list = await cli.run(["rules", "list"]);
  const lines = list.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^ID\s+NAME\s+EVENTS\s+MONITORS\s+TAGS\s+CHANNELS\s+ESCALATION$/);
  expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(1))).toEqual([
    ["Everything", "all", "all", "prod", channel.id, "-"],
    ["Down", "monitor.down,monitor.up", monitor.id, "any", channel.id, "-"],
  ]);

  const inUse = await cli.run(["channels", "delete", channel.id]);
  expect(inUse.code).toBe(1);
  expect(inUse.stderr).toMatch(/\(409 conflict\)/);
  expect((await cli.run(["rules", "delete", down.json.id])).stdout).toBe(`Deleted ${down.json.id}\n`);
  expect((await cli.run(["rules", "list", "--json"])).json.map((r: { name: string }) => r.name)).toEqual([
    "Everything",
  ]);
  expect((await cli.run(["rules", "delete", down.json.id])).code).toBe(3);
});

test("invalid bodies exit 1 with every problem; bad command lines exit 2 before any request", async ({
  cli,
  owner,
}) => {
  await cli.login(owner);
  const invalid = await cli.run(["rules", "create", "--name", "x", "--event", "monitor.sideways", "--channel", "nope"]);
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toMatch(/^ {2}events\.0: /m);
  const noUrl = await cli.run(["channels", "create", "--type", "webhook", "--name", "x", "--json"]);
  expect(noUrl.code).toBe(1);
  expect(JSON.parse(noUrl.stderr)).toMatchObject({ status: 400, error: "validation_error" });
  for (const argv of [
    ["channels", "create", "--type", "pager", "--name", "x"],
    ["channels", "create", "--name", "no type"],
    ["channels", "test"],
    ["rules", "create", "--event", "monitor.down"],
    ["rules", "frobnicate"],
  ]) {
    const result = await cli.run(argv);
    expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
    expect(result.stderr).not.toBe("");
  }
});
