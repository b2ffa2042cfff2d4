import {
  type DnsReply,
  startDns,
  startTls,
  type TestDnsServer,
  type TestServer,
  testCa,
} from "@upfleet/checks/testing";
import type { Monitor, Prisma } from "@upfleet/db";
import { type Receiver, startReceiver } from "@upfleet/delivery/testing";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { createTestRedis, monitorRow, waitFor } from "@upfleet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTIFY_ENV, payloadOf, routing } from "./notifications-support.ts";
import { type Sandbox, startSandbox } from "./support.ts";

// The check types beyond http and tcp, through the real worker and alerter: scheduled from the
// database, run by the worker, stored and turned into state changes and notifications by the alerter.
// The monitors exist before the alerter starts, so its first reconciliation schedules them all.

let sandbox: Sandbox;
let dns: TestDnsServer;
let reply: DnsReply = [{ type: "A", name: "app.test", ttl: 60, data: "93.184.215.7" }];
const ca = testCa();
let expiringSoon: TestServer;
let expired: TestServer;
let receiver: Receiver;
const monitors: Record<"dns" | "soon" | "gone" | "api", Monitor> = {} as never;

beforeAll(async () => {
  sandbox = await startSandbox(createTestRedis());
  const organizationId = (await sandbox.db.organization.findFirstOrThrow()).id;
  [dns, expiringSoon, expired, receiver] = await Promise.all([
    startDns(() => reply),
    startTls(ca.issue(["localhost"], 5)),
    startTls(ca.issue(["localhost"], -1)),
    startReceiver(),
  ]);
  const addMonitor = (type: "dns" | "ssl" | "api", settings: Record<string, unknown>) =>
    sandbox.db.monitor.create({
      data: monitorRow(organizationId, {
        type,
        name: `${type} ${Object.values(settings).join(" ")}`,
        settings: { ...TYPE_DEFAULTS[type], ...settings } as Prisma.InputJsonValue,
        intervalSeconds: 10,
        timeoutMs: 2_000,
      }),
    });
  monitors.dns = await addMonitor("dns", {
    host: "app.test",
    dns_expected_value: "93.184.215.7",
    dns_resolver: dns.address,
  });
  monitors.soon = await addMonitor("ssl", { host: "localhost", port: expiringSoon.port });
  monitors.gone = await addMonitor("ssl", { url: `https://localhost:${expired.port}/` });
  monitors.api = await addMonitor("api", {
    api_check_steps: [
      {
        name: "health",
        method: "GET",
        url: `${sandbox.target.url}/api/health`,
        headers: {},
        body: null,
        assertions: [{ type: "body_contains", value: "service ok" }],
        extract: {},
      },
    ],
  });
  const route = routing(sandbox.db, organizationId);
  const hook = await route.webhook(`${receiver.url}/ssl`);
  await route.rule({ events: ["ssl.expiring"], channelIds: [hook.id] });
  // The worker trusts the test CA the way an operator would add a private CA: Node's NODE_EXTRA_CA_CERTS.
  await Promise.all([sandbox.alerter(NOTIFY_ENV), sandbox.worker({ NODE_EXTRA_CA_CERTS: ca.caFile })]);
});
afterAll(async () => {
  await Promise.all([dns?.close(), expiringSoon?.close(), expired?.close(), receiver?.close()]);
  await sandbox?.stop();
  ca.dispose();
});

const monitorStatus = async (id: string, status: string) => {
  const monitor = await sandbox.db.monitor.findUniqueOrThrow({ where: { id } });
  return monitor.status === status ? monitor : null;
};

describe("check types on real processes", () => {
  it("runs a dns monitor against its resolver: up on a matching record, down on NXDOMAIN", async () => {
    const monitor = monitors.dns;
    await waitFor(() => monitorStatus(monitor.id, "up"), { timeoutMs: 25_000, what: "dns monitor up" });
    const first = await sandbox.db.checkResult.findFirstOrThrow({ where: { monitor: { id: monitor.id } } });
    expect(first).toMatchObject({ status: "up", error: null });
    expect(first.details).toMatchObject({ recordType: "A", records: ["93.184.215.7"] });
    expect(dns.questions).toContain("A app.test");

    reply = "nxdomain";
    const event = await waitFor(
      () => sandbox.db.monitorEvent.findFirst({ where: { monitorId: monitor.id, type: "monitor.down" } }),
      { timeoutMs: 25_000, what: "monitor.down event" },
    );
    expect(event).toMatchObject({ fromStatus: "up", toStatus: "down" });
    expect(event.cause).toMatchObject({ error: "dns_no_records" });
  });

  it("runs ssl monitors: an expired certificate is down; one expiring soon is up and notifies ssl.expiring once", async () => {
    const { soon, gone } = monitors;

    const down = await waitFor(
      () => sandbox.db.monitorEvent.findFirst({ where: { monitorId: gone.id, type: "monitor.down" } }),
      { timeoutMs: 25_000, what: "expired certificate down" },
    );
    expect(down.cause).toMatchObject({ error: "ssl_expired" });

    await waitFor(() => monitorStatus(soon.id, "up"), { timeoutMs: 25_000, what: "ssl monitor up" });
    const event = await waitFor(
      () => sandbox.db.monitorEvent.findFirst({ where: { monitorId: soon.id, type: "ssl.expiring" } }),
      { timeoutMs: 25_000, what: "ssl.expiring event" },
    );
    expect(event.cause).toMatchObject({ days_left: 4, threshold: 7 });
    const [request] = await waitFor(() => (receiver.at("/ssl").length > 0 ? receiver.at("/ssl") : null), {
      timeoutMs: 30_000,
      what: "ssl.expiring webhook",
    });
    expect(payloadOf(request!)).toMatchObject({ event: "ssl.expiring", incident: null });

    // Two more checks of the same certificate announce nothing again, and no incident ever opens.
    const checked = await sandbox.db.checkResult.count({ where: { monitor: { id: soon.id } } });
    await waitFor(
      async () => (await sandbox.db.checkResult.count({ where: { monitor: { id: soon.id } } })) >= checked + 2 || null,
      { timeoutMs: 30_000, what: "two more checks" },
    );
    expect(await sandbox.db.monitorEvent.count({ where: { monitorId: soon.id, type: "ssl.expiring" } })).toBe(1);
    expect(await sandbox.db.incident.count({ where: { monitorId: soon.id } })).toBe(0);
    expect(receiver.at("/ssl")).toHaveLength(1);
  });

  it("runs an api monitor's steps: up while they pass, down naming the failing step", async () => {
    const monitor = monitors.api;
    await waitFor(() => monitorStatus(monitor.id, "up"), { timeoutMs: 25_000, what: "api monitor up" });
    sandbox.target.behaveAt("/api/health", { status: 500 });
    const event = await waitFor(
      () => sandbox.db.monitorEvent.findFirst({ where: { monitorId: monitor.id, type: "monitor.down" } }),
      { timeoutMs: 25_000, what: "api monitor down" },
    );
    expect(event.cause).toMatchObject({ error: "assertion", http_status: 500 });
    expect((event.cause as { message: string }).message).toBe('Step "health": expected status 200-299, got 500');
  });
});
