import { expect } from "vitest";
import { test } from "./support/cli.ts";

test("incidents list, ack and resolve; resolving twice is a conflict (exit 1); checks of a new monitor are none", async ({
  cli,
  owner,
  api,
}) => {
  const monitor = await api.request("POST", "/api/v1/monitors", {
    auth: owner.token,
    body: { type: "http", name: "site", url: "https://example.com/" },
  });
  const opened = await api.request("POST", "/api/v1/incidents", {
    auth: owner.token,
    body: { monitor_id: monitor.body.id, title: "Site is slow" },
  });
  expect(opened.status).toBe(201);
  const id: string = opened.body.id;
  await cli.login(owner);

  const list = await cli.run(["incidents", "list", "--active"]);
  expect(list.stdout).toMatch(/^ID\s+STATUS\s+STARTED\s+ACKED\s+RESOLVED\s+MONITOR\s+TITLE$/m);
  expect(list.stdout).toMatch(new RegExp(`^${id}\\s+investigating\\s.+Site is slow$`, "m"));
  expect((await cli.run(["incidents", "list", "--resolved", "--json"])).json).toEqual([]);

  expect((await cli.run(["incidents", "ack", id, "--json"])).json.acknowledged_at).toEqual(expect.any(String));
  const resolved = await cli.run(["incidents", "resolve", id, "-m", "cache warmed"]);
  expect(resolved.code).toBe(0);
  expect(resolved.stdout).toMatch(/^status\s+resolved$/m);
  expect(resolved.stdout).toContain("resolved: cache warmed");
  expect((await cli.run(["incidents", "resolve", id])).code).toBe(1);
  expect((await cli.run(["incidents", "list", "--resolved", "--json"])).json).toMatchObject([{ id }]);
  expect((await cli.run(["incidents", "list", "--active", "--resolved"])).code).toBe(2);

  await api.request("POST", "/api/v1/incidents", { auth: owner.token, body: { title: "Planned work" } });
  const first = await cli.run(["incidents", "list", "--limit", "1", "--json"]);
  expect(first.json).toMatchObject([{ title: "Planned work" }]);
  const cursor = /^more: --cursor (\S+)$/m.exec(first.stderr)?.[1];
  expect((await cli.run(["incidents", "list", "--limit", "1", "--cursor", cursor!, "--json"])).json).toMatchObject([
    { id },
  ]);

  expect((await cli.run(["checks", monitor.body.id, "--json"])).json).toEqual([]);
  expect((await cli.run(["checks", "mon_nope"])).code).toBe(3);
});
