import { type DnsReply, startDns, type TestDnsServer } from "@upfleet/checks/testing";
import type { Prisma } from "@upfleet/db";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { createTestRedis, monitorRow, waitFor } from "@upfleet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "./support.ts";

// The check types beyond http and tcp, through the real worker and alerter: scheduled from the
// database, run by the worker, stored and turned into state changes by the alerter.

let sandbox: Sandbox;
let dns: TestDnsServer;
let reply: DnsReply = [];

beforeAll(async () => {
  sandbox = await startSandbox(createTestRedis());
  dns = await startDns(() => reply);
  await Promise.all([sandbox.alerter(), sandbox.worker()]);
});
afterAll(async () => {
  await dns?.close();
  await sandbox?.stop();
});

const monitorStatus = async (id: string, status: string) => {
  const monitor = await sandbox.db.monitor.findUniqueOrThrow({ where: { id } });
  return monitor.status === status ? monitor : null;
};

describe("check types on real processes", () => {
  it("runs a dns monitor against its resolver: up on a matching record, down on NXDOMAIN", async () => {
    reply = [{ type: "A", name: "app.test", ttl: 60, data: "203.0.113.7" }];
    const organizationId = (await sandbox.db.organization.findFirstOrThrow()).id;
    const monitor = await sandbox.db.monitor.create({
      data: monitorRow(organizationId, {
        type: "dns",
        name: "app.test A",
        settings: {
          ...TYPE_DEFAULTS.dns,
          host: "app.test",
          dns_expected_value: "203.0.113.7",
          dns_resolver: dns.address,
        } as Prisma.InputJsonValue,
        intervalSeconds: 10,
        timeoutMs: 2_000,
      }),
    });

    await waitFor(() => monitorStatus(monitor.id, "up"), { timeoutMs: 25_000, what: "dns monitor up" });
    const first = await sandbox.db.checkResult.findFirstOrThrow({ where: { monitorId: monitor.id } });
    expect(first).toMatchObject({ status: "up", error: null });
    expect(first.details).toMatchObject({ recordType: "A", records: ["203.0.113.7"] });
    expect(dns.questions).toContain("A app.test");

    reply = "nxdomain";
    const event = await waitFor(
      () => sandbox.db.monitorEvent.findFirst({ where: { monitorId: monitor.id, type: "monitor.down" } }),
      { timeoutMs: 25_000, what: "monitor.down event" },
    );
    expect(event).toMatchObject({ fromStatus: "up", toStatus: "down" });
    expect(event.cause).toMatchObject({ error: "dns_no_records" });
  });
});
