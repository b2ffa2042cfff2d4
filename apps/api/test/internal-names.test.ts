import { describe, expect } from "vitest";
import { apiTest } from "./support/fixtures.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import type { TestResponse } from "./support/test-api.ts";

// Issue #11 items 3 and 21 at write time: monitor targets and channel URLs under internal names are a
// 400 naming the field (the worker and the senders refuse them again when they run), and hosts are
// validated as host names, in the same way the worker's spec does.

const MONITORS = "/api/v1/monitors";
const CHANNELS = "/api/v1/notifications/channels";

/** `post` sends a body as the owner. */
const it = apiTest({
  OPEN_SIGNUP: "true",
  INTERNAL_DNS_SUFFIXES: "corp.example",
  INTERNAL_DNS_ALLOW_SUFFIXES: "open.internal",
  RATE_LIMIT_PER_MINUTE: "100000",
  RATE_LIMIT_PER_HOUR: "100000",
}).extend<{ post: (path: string, body: unknown) => Promise<TestResponse> }>({
  post: async ({ api, owner }, use) => use((path, body) => api.request("POST", path, { auth: owner.token, body })),
});
const http = (url: string) => ({ type: "http", name: "site", url });
const api2 = (url: string) => ({
  type: "api",
  name: "flow",
  api_check_steps: [
    { name: "first", url: "https://example.com/" },
    { name: "second", url },
  ],
});

describe("monitors naming internal hosts", () => {
  it.for<[object, string]>([
    [http("http://intranet/"), "url"],
    [http("https://metadata.google.internal/computeMetadata/v1/"), "url"],
    [http("http://DB.Internal.:8080/"), "url"],
    [http("http://wiki.corp.example/"), "url"],
    [{ type: "tcp", name: "db", host: "db", tcp_port: 5432 }, "host"],
    [{ type: "tcp", name: "db", host: "postgres.default.svc.cluster.local.", tcp_port: 5432 }, "host"],
    [{ type: "dns", name: "zone", host: "printer.local", dns_record_type: "A" }, "host"],
    [{ type: "dns", name: "zone", host: "_ldap._tcp.corp.example", dns_record_type: "TXT" }, "host"],
    [{ type: "ssl", name: "cert", host: "router.home.arpa" }, "host"],
    [{ type: "ssl", name: "cert", url: "https://nas.lan/" }, "url"],
    [{ type: "ping", name: "ping", host: "LOCALHOST" }, "host"],
    [api2("http://nas.lan/x"), "api_check_steps.1.url"],
  ])("refuses %j with a 400 naming %s, storing nothing", async ([body, path], { api, post }) => {
    const before = await tableCounts(api);
    const res = await post(MONITORS, body);
    expectError(res, 400, "validation_error");
    expect(detailPaths(res)).toEqual([path]);
    expect(res.body.details[0].message).toMatch(/internal name.*INTERNAL_DNS_ALLOW_SUFFIXES/);
    expect(await tableCounts(api)).toEqual(before);
  });

  it("accepts public names, IP literals (the address guard's) and what the operator opened", async ({ post }) => {
    for (const body of [
      http("https://status.example.com/"),
      http("https://app.open.internal/"),
      { type: "tcp", name: "db", host: "db.example.com", tcp_port: 5432 },
      { type: "dns", name: "dmarc", host: "_dmarc.example.com", dns_record_type: "TXT" },
      api2("https://{{host}}/later"),
    ]) {
      const res = await post(MONITORS, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });

  it("refuses a PATCH that points a monitor inside, the api steps sent as a string too", async ({
    api,
    owner,
    post,
  }) => {
    const created = await post(MONITORS, http("https://status.example.com/"));
    const patched = await api.request("PATCH", `${MONITORS}/${created.body.id}`, {
      auth: owner.token,
      body: { url: "http://grafana.internal/" },
    });
    expectError(patched, 400, "validation_error");
    expect(detailPaths(patched)).toEqual(["url"]);
    const flow = await post(MONITORS, api2("https://example.com/two"));
    const steps = await api.request("PATCH", `${MONITORS}/${flow.body.id}`, {
      auth: owner.token,
      body: { api_check_steps: JSON.stringify([{ name: "in", url: "http://jenkins/" }]) },
    });
    expectError(steps, 400, "validation_error");
    expect(detailPaths(steps)).toEqual(["api_check_steps.0.url"]);
    const stored = await api.request("GET", `${MONITORS}/${created.body.id}`, { auth: owner.token });
    expect(stored.body.url).toBe("https://status.example.com/");
  });
});

describe("channels naming internal hosts", () => {
  it.for<[object, string]>([
    [{ type: "webhook", config: { url: "http://hooks.internal/x" } }, "config.url"],
    [{ type: "webhook", config: { url: "http://alertmanager:9093/api" } }, "config.url"],
    [{ type: "slack", config: { webhook_url: "https://slack-proxy.corp.example/services/x" } }, "config.webhook_url"],
    [{ type: "discord", config: { webhook_url: "https://relay.home.arpa/api/webhooks/1/x" } }, "config.webhook_url"],
  ])("refuses %j with a 400 naming %s", async ([channel, path], { api, post }) => {
    const before = await tableCounts(api);
    const res = await post(CHANNELS, { name: "receiver", ...channel });
    expectError(res, 400, "validation_error");
    expect(detailPaths(res)).toEqual([path]);
    expect(res.body.details[0].message).toMatch(/is an internal name/);
    expect(await tableCounts(api)).toEqual(before);
  });

  it("accepts one the operator opened", async ({ post }) => {
    const res = await post(CHANNELS, {
      name: "receiver",
      type: "webhook",
      config: { url: "https://hooks.open.internal/x" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});

describe("host names validated as host names (item 21)", () => {
  it.for<[object, string]>([
    [{ type: "tcp", name: "db", host: "a..b", tcp_port: 5432 }, "host"],
    [{ type: "tcp", name: "db", host: "-db.example.com", tcp_port: 5432 }, "host"],
    [{ type: "tcp", name: "db", host: `${"a".repeat(64)}.example.com`, tcp_port: 5432 }, "host"],
    [{ type: "tcp", name: "db", host: "db_1.example.com", tcp_port: 5432 }, "host"],
    [{ type: "ssl", name: "cert", host: "x-.example.com" }, "host"],
    [{ type: "dns", name: "zone", host: "a..example.com" }, "host"],
    [{ type: "dns", name: "zone", host: "example.com", dns_resolver: "😀".repeat(30) }, "dns_resolver"],
    [{ type: "dns", name: "zone", host: "example.com", dns_resolver: "☃".repeat(60) }, "dns_resolver"],
    [http(`https://${"😀".repeat(60)}.com/`), "url"],
    [http("https://a..b/"), "url"],
    [{ type: "ssl", name: "cert", url: `https://${"☃".repeat(60)}.com/` }, "url"],
    [api2(`https://${"😀".repeat(60)}.com/`), "api_check_steps.1.url"],
  ])("refuses %j with a 400 naming %s", async ([body, path], { post }) => {
    const res = await post(MONITORS, body);
    expectError(res, 400, "validation_error");
    expect(detailPaths(res)).toEqual([path]);
  });
});
