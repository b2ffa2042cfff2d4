import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { test as cliTest } from "./support/cli.ts";

const MAIN = path.join(import.meta.dirname, "../src/main.ts");

/** A heartbeat monitor on the file's API, and how to read its pings back. */
const test = cliTest.extend<{ heartbeat: { id: string; token: string; url: string; pings(): Promise<Ping[]> } }>({
  heartbeat: async ({ api, owner }, use) => {
    const created = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      body: { type: "heartbeat", name: "nightly", interval_seconds: 3600 },
    });
    const { id, heartbeat_token: token } = created.body;
    // heartbeat_url is on PUBLIC_URL, which is not the test API's port.
    const url = `${api.url}/api/heartbeat/${token}`;
    const pings = async () =>
      (
        (await api.request("GET", `/api/v1/monitors/${id}/pings`, { auth: owner.token })).body.data as Ping[]
      ).toReversed();
    await use({ id, token, url, pings });
  },
});

interface Ping {
  kind: string;
  exit_code: number | null;
  rid: string | null;
  body: string | null;
}

/** A command that prints to both streams and exits with `code`. */
const job = (code: number, lines = 1) => [
  process.execPath,
  "-e",
  `for (let i = 0; i < ${lines}; i++) console.log("line " + i); console.error("to stderr"); process.exitCode = ${code}`,
];

test("run pings /start, then success with the output's tail and the same rid", async ({ cli, heartbeat }) => {
  const result = await cli.run(["run", "--heartbeat", heartbeat.token, "--", ...job(0)]);
  expect(result).toMatchObject({ code: 0, stdout: "line 0\n", stderr: "to stderr\n" });
  const [start, finish] = await heartbeat.pings();
  expect(start).toMatchObject({ kind: "start", rid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(finish).toMatchObject({ kind: "success", exit_code: null, rid: start!.rid });
  expect(finish!.body).toContain("line 0\n");
  expect(finish!.body).toContain("to stderr\n");
});

test("a failing command's exit code is pinged with its last ~10 KB of output and passed on", async ({
  cli,
  heartbeat,
}) => {
  // About 30 KB of output: only its end is sent.
  const result = await cli.run(["run", "--heartbeat", heartbeat.url, "--", ...job(3, 3000)]);
  expect(result.code).toBe(3);
  expect(result.stdout).toContain("line 2999\n");
  const [start, finish] = await heartbeat.pings();
  expect(finish).toMatchObject({ kind: "fail", exit_code: 3, rid: start!.rid });
  expect(Buffer.byteLength(finish!.body!)).toBeLessThanOrEqual(10_000);
  expect(Buffer.byteLength(finish!.body!)).toBeGreaterThan(9_900);
  // Its stderr line may come before the last 10 KB of stdout: the two pipes are read as they flush.
  expect(finish!.body).toContain("line 2999\n");
  expect(finish!.body).not.toContain("line 0\n");
});

test("a ping that fails warns on stderr and leaves the command's exit code alone", async ({ cli }) => {
  const unknown = await cli.run(["run", "--heartbeat", "no-such-token", "--", ...job(0)]);
  expect(unknown.code).toBe(0);
  expect(unknown.stderr).toMatch(/^upfleet: warning: heartbeat ping \/start failed: .+\(request_id req_\w+\)$/m);
  const unreachable = await cli.run(["run", "--heartbeat", "http://127.0.0.1:1/api/heartbeat/x", "--", ...job(4)]);
  expect(unreachable.code).toBe(4);
  expect(unreachable.stderr).toMatch(/^upfleet: warning: heartbeat ping \/4 failed: fetch failed: /m);
  const missing = await cli.run(["run", "--heartbeat", "no-such-token", "--", "/nonexistent/command"]);
  expect(missing.code).toBe(127);
  expect((await cli.run(["run", "--", "true"])).code).toBe(2);
});

test("heartbeat ping reports start, failure, exit codes and success, with a body", async ({ cli, heartbeat }) => {
  expect((await cli.run(["heartbeat", "ping", heartbeat.token, "--start", "--rid", "r1"])).stdout).toBe("ok\n");
  expect(
    (await cli.run(["heartbeat", "ping", heartbeat.token, "--exit-code", "2", "--rid", "r1", "--json"])).json,
  ).toEqual({
    ok: true,
  });
  expect((await cli.run(["heartbeat", "ping", heartbeat.url, "--fail", "--body", "disk full"])).code).toBe(0);
  expect((await cli.run(["heartbeat", "ping", heartbeat.token, "--body-stdin"], { stdin: "all good\n" })).code).toBe(0);
  expect((await heartbeat.pings()).map(({ kind, exit_code, rid, body }) => [kind, exit_code, rid, body])).toEqual([
    ["start", null, "r1", null],
    ["fail", 2, "r1", null],
    ["fail", null, null, "disk full"],
    ["success", null, null, "all good"],
  ]);
  expect((await cli.run(["heartbeat", "ping", "no-such-token"])).code).toBe(3);
  expect((await cli.run(["heartbeat", "ping", heartbeat.token, "--exit-code", "x"])).code).toBe(2);
  expect((await cli.run(["heartbeat", "ping", heartbeat.token, "--start", "--fail"])).code).toBe(2);
});

test("the upfleet process exits with its command's code", async ({ cli, heartbeat }) => {
  const run = promisify(execFile)(
    process.execPath,
    ["--import", "tsx", MAIN, "run", "--heartbeat", heartbeat.token, "--", ...job(42)],
    {
      env: { ...process.env, ...cli.env },
    },
  );
  await expect(run).rejects.toMatchObject({ code: 42, stdout: "line 0\n", stderr: "to stderr\n" });
  expect((await heartbeat.pings()).at(-1)).toMatchObject({ kind: "fail", exit_code: 42 });
});

test("SIGTERM to upfleet reaches the command, whose exit code is then pinged and passed on", async ({
  cli,
  heartbeat,
}) => {
  const script = `process.on("SIGTERM", () => { console.log("cleaning up"); process.exitCode = 7; clearInterval(timer); });
    const timer = setInterval(() => {}, 1000); console.log("ready");`;
  const upfleet = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "run", "--heartbeat", heartbeat.token, "--", process.execPath, "-e", script],
    { env: { ...process.env, ...cli.env }, stdio: ["ignore", "pipe", "inherit"] },
  );
  let stdout = "";
  upfleet.stdout.on("data", (chunk: Buffer) => {
    if (stdout === "") upfleet.kill("SIGTERM"); // the command's first line: its handler is in place
    stdout += chunk;
  });
  const [code] = await once(upfleet, "exit");
  expect(code).toBe(7);
  expect(stdout).toBe("ready\ncleaning up\n");
  expect((await heartbeat.pings()).at(-1)).toMatchObject({ kind: "fail", exit_code: 7, body: "ready\ncleaning up\n" });
});
