import { writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { test } from "./support/cli.ts";

test("monitors create, list, get, pause, resume and delete, as tables and as --json", async ({ cli, owner }) => {
  await cli.login(owner);
  const http = await cli.run([
    "monitors",
    "create",
    "--type",
    "http",
    "--name",
    "Example",
    "--url",
    "https://example.com/",
    "--interval",
    "30",
    "--tag",
    "prod",
    "--tag",
    "web",
    "--json",
  ]);
  expect(http.code).toBe(0);
  expect(http.json).toMatchObject({ type: "http", name: "Example", interval_seconds: 30, tags: ["prod", "web"] });
  const tcp = await cli.run([
    "monitors",
    "create",
    "--type",
    "tcp",
    "--name",
    "db",
    "--host",
    "db.example.com",
    "--port",
    "5432",
  ]);
  expect(tcp.stdout).toMatch(/^tcp_port\s+5432$/m);
  const file = path.join(cli.env.XDG_CONFIG_HOME!, "heartbeat.json");
  await writeFile(file, JSON.stringify({ type: "heartbeat", name: "Nightly", heartbeat_schedule: "0 3 * * *" }));
  const heartbeat = await cli.run(["monitors", "create", "--file", file, "--grace", "30", "--json"]);
  expect(heartbeat.json).toMatchObject({ type: "heartbeat", name: "Nightly", heartbeat_grace_minutes: 30 });

  const list = await cli.run(["monitors", "list"]);
  const lines = list.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^ID\s+NAME\s+TYPE\s+STATUS\s+EVERY\s+LAST CHECK\s+TARGET$/);
  expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(1, 3))).toEqual([
    ["Nightly", "heartbeat"],
    ["db", "tcp"],
    ["Example", "http"],
  ]);
  expect(list.stdout).toContain("db.example.com:5432");
  expect(list.stdout).toContain("0 3 * * *");
  const filtered = await cli.run(["monitors", "list", "--type", "tcp", "--json"]);
  expect(filtered.json.map((m: { name: string }) => m.name)).toEqual(["db"]);

  const id: string = http.json.id;
  expect((await cli.run(["monitors", "get", id, "--json"])).json).toEqual(
    expect.objectContaining({ id, url: "https://example.com/" }),
  );
  expect((await cli.run(["monitors", "get", id])).stdout).toMatch(/^url\s+https:\/\/example.com\/$/m);
  expect((await cli.run(["monitors", "pause", id])).stdout).toBe(`Paused ${id} (Example): paused\n`);
  expect((await cli.run(["monitors", "resume", id, "--json"])).json).toMatchObject({ id, paused: false });
  expect(await cli.run(["monitors", "delete", id])).toMatchObject({ code: 0, stdout: `Deleted ${id}\n` });
  const gone = await cli.run(["monitors", "get", id]);
  expect(gone.code).toBe(3);
  expect(gone.stderr).toMatch(/\(404 not_found\)/);
});

test("monitors list pages through everything", async ({ cli, owner, api }) => {
  // More than one page of the 200 the CLI asks for.
  const created = await Promise.all(
    Array.from({ length: 205 }, (_, i) =>
      api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: { type: "ping", name: `host ${i}`, host: "example.com" },
      }),
    ),
  );
  expect(created.every((res) => res.status === 201)).toBe(true);
  await cli.login(owner);
  const list = await cli.run(["monitors", "list", "--type", "ping", "--json"]);
  expect(list.json).toHaveLength(205);
});

test("an invalid monitor exits 1 with every problem; bad arguments exit 2 before any request", async ({
  cli,
  owner,
}) => {
  await cli.login(owner);
  const invalid = await cli.run(["monitors", "create", "--type", "http", "--name", "x", "--interval", "5"]);
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toMatch(/^error: .+ \(400 validation_error\)$/m);
  expect(invalid.stderr).toMatch(/^ {2}url: /m);
  expect(invalid.stderr).toMatch(/^request_id: req_/m);
  const json = await cli.run(["monitors", "create", "--type", "http", "--name", "x", "--json"]);
  expect(JSON.parse(json.stderr)).toMatchObject({ status: 400, error: "validation_error", details: [{ path: "url" }] });

  for (const argv of [
    ["monitors", "create", "--type", "nope", "--name", "x"],
    ["monitors", "create", "--type", "tcp", "--name", "x", "--port", "70000"],
    ["monitors", "create", "--name", "no type"],
    ["monitors", "list", "--status", "sideways"],
    ["monitors", "get"],
    ["monitors", "frobnicate"],
  ]) {
    const result = await cli.run(argv);
    expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
    expect(result.stderr).not.toBe("");
  }
});
