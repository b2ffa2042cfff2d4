import { type DnsReply, startDns, startTls, type TestDnsServer, testCa } from "@upfleet/checks/testing";
import type { Db, Monitor, Prisma } from "@upfleet/db";
import { type Receiver, startReceiver } from "@upfleet/delivery/testing";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { monitorRow, startApp, waitFor } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { NOTIFY_ENV, payloadOf, routing } from "./notifications-support.ts";
import { alerterApp, it as base, type Services, type Target, workerApp } from "./support.ts";

// The check types beyond http and tcp (ping through the system's ping, as the worker's image has it), through the real worker and alerter: scheduled from the
// database, run by the worker, stored and turned into state changes and notifications by the alerter.
// The monitors exist before the alerter starts, so its first reconciliation schedules them all.

/** The file's monitors, the servers they check, and the webhook `receiver` of ssl.expiring. */
interface CheckTypes {
  dns: TestDnsServer;
  /** What `dns` answers from now on. */
  answer(reply: DnsReply): void;
  receiver: Receiver;
  monitors: Record<"dns" | "soon" | "gone" | "api" | "ping", Monitor>;
}

type Servers = Pick<CheckTypes, "dns" | "receiver"> & { soonPort: number; gonePort: number; target: Target };

async function addMonitors(db: Db, organizationId: string, s: Servers): Promise<CheckTypes["monitors"]> {
  const addMonitor = (type: "dns" | "ssl" | "api" | "ping", settings: Record<string, unknown>) =>
    db.monitor.create({
      data: monitorRow(organizationId, {
        type,
        name: `${type} ${Object.values(settings).join(" ")}`,
        settings: { ...TYPE_DEFAULTS[type], ...settings } as Prisma.InputJsonValue,
        intervalSeconds: 10,
        timeoutMs: 2_000,
      }),
    });
  const monitors = {
    dns: await addMonitor("dns", { host: "app.test", dns_expected_value: "93.184.215.7", dns_resolver: s.dns.address }),
    soon: await addMonitor("ssl", { host: "localhost", port: s.soonPort }),
    gone: await addMonitor("ssl", { url: `https://localhost:${s.gonePort}/` }),
    api: await addMonitor("api", {
      api_check_steps: [
        {
          name: "health",
          method: "GET",
          url: `${s.target.url}/api/health`,
          headers: {},
          body: null,
          assertions: [{ type: "body_contains", value: "service ok" }],
          extract: {},
        },
      ],
    }),
    ping: await addMonitor("ping", { host: "127.0.0.1" }),
  };
  const route = routing(db, organizationId);
  const hook = await route.webhook(`${s.receiver.url}/ssl`);
  await route.rule({ events: ["ssl.expiring"], channelIds: [hook.id] });
  return monitors;
}

/** Several processes start at once on a machine running other suites: allow them time. */
const START_TIMEOUT_MS = 90_000;

/** How to run the file's apps; the worker trusts the test CA as an operator adds a private CA (NODE_EXTRA_CA_CERTS). */
const pipeline = (services: Services, caFile: string) => [
  alerterApp(services, NOTIFY_ENV, START_TIMEOUT_MS),
  workerApp(services, { NODE_EXTRA_CA_CERTS: caFile }, START_TIMEOUT_MS),
];

/** `ct`, set up for the file: its servers and monitors, then an alerter and a worker checking them. */
const it = base.extend<{ ct: CheckTypes }>({
  ct: [
    async ({ db, organizationId, target, services }, use) => {
      const ca = testCa();
      // Everything opened so far, closed after the file's last test (or a failed setup): apps first.
      const opened: { close(): Promise<unknown> }[] = [];
      const open = async <T extends { close(): Promise<unknown> }>(starting: Promise<T>) => {
        const value = await starting;
        opened.unshift(value);
        return value;
      };
      let reply: DnsReply = [{ type: "A", name: "app.test", ttl: 60, data: "93.184.215.7" }];
      try {
        const servers = [
          open(startDns(() => reply)),
          open(startTls(ca.issue(["localhost"], 5))),
          open(startTls(ca.issue(["localhost"], -1))),
          open(startReceiver()),
        ] as const;
        // Every start settles (and is in `opened`) before a failed one is thrown, so none outlives the file.
        await Promise.allSettled(servers);
        const [dns, soon, gone, receiver] = await Promise.all(servers);
        const monitors = await addMonitors(db, organizationId, {
          dns,
          receiver,
          target,
          soonPort: soon.port,
          gonePort: gone.port,
        });
        const apps = pipeline(services, ca.caFile).map((app) =>
          open(startApp(app).then((started) => ({ close: () => started.stop("SIGKILL") }))),
        );
        await Promise.allSettled(apps);
        await Promise.all(apps);
        await use({
          dns,
          receiver,
          monitors,
          answer: (next) => {
            reply = next;
          },
        });
      } finally {
        for (const value of opened) await value.close();
        ca.dispose();
      }
    },
    { scope: "file" },
  ],
});

/** The first test to run also sets up the file's servers and processes. */
const TIMEOUT_MS = 120_000;

const monitorStatus = async (db: Db, id: string, status: string) => {
  const monitor = await db.monitor.findUniqueOrThrow({ where: { id } });
  return monitor.status === status ? monitor : null;
};

// Concurrent: each test watches monitors of its own on the file's shared processes.
describe("check types on real processes", () => {
  it.concurrent(
    "runs a dns monitor against its resolver: up on a matching record, down on NXDOMAIN",
    async ({ db, ct }) => {
      const monitor = ct.monitors.dns;
      await waitFor(() => monitorStatus(db, monitor.id, "up"), { timeoutMs: 25_000, what: "dns monitor up" });
      const first = await db.checkResult.findFirstOrThrow({ where: { monitor: { id: monitor.id } } });
      expect(first).toMatchObject({ status: "up", error: null });
      expect(first.details).toMatchObject({ recordType: "A", records: ["93.184.215.7"] });
      expect(ct.dns.questions).toContain("A app.test");

      ct.answer("nxdomain");
      const event = await waitFor(
        () => db.monitorEvent.findFirst({ where: { monitorId: monitor.id, type: "monitor.down" } }),
        { timeoutMs: 25_000, what: "monitor.down event" },
      );
      expect(event).toMatchObject({ fromStatus: "up", toStatus: "down" });
      expect(event.cause).toMatchObject({ error: "dns_no_records" });
    },
    TIMEOUT_MS,
  );

  it.concurrent(
    "runs ssl monitors: an expired certificate is down; one expiring soon is up and notifies ssl.expiring once",
    async ({ db, ct }) => {
      const { soon, gone } = ct.monitors;

      const down = await waitFor(
        () => db.monitorEvent.findFirst({ where: { monitorId: gone.id, type: "monitor.down" } }),
        { timeoutMs: 25_000, what: "expired certificate down" },
      );
      expect(down.cause).toMatchObject({ error: "ssl_expired" });

      await waitFor(() => monitorStatus(db, soon.id, "up"), { timeoutMs: 25_000, what: "ssl monitor up" });
      const event = await waitFor(
        () => db.monitorEvent.findFirst({ where: { monitorId: soon.id, type: "ssl.expiring" } }),
        { timeoutMs: 25_000, what: "ssl.expiring event" },
      );
      expect(event.cause).toMatchObject({ days_left: 4, threshold: 7 });
      const [request] = await waitFor(() => (ct.receiver.at("/ssl").length > 0 ? ct.receiver.at("/ssl") : null), {
        timeoutMs: 30_000,
        what: "ssl.expiring webhook",
      });
      expect(payloadOf(request!)).toMatchObject({ event: "ssl.expiring", incident: null });

      // Two more checks of the same certificate announce nothing again, and no incident ever opens.
      const checked = await db.checkResult.count({ where: { monitor: { id: soon.id } } });
      await waitFor(
        async () => (await db.checkResult.count({ where: { monitor: { id: soon.id } } })) >= checked + 2 || null,
        { timeoutMs: 30_000, what: "two more checks" },
      );
      expect(await db.monitorEvent.count({ where: { monitorId: soon.id, type: "ssl.expiring" } })).toBe(1);
      expect(await db.incident.count({ where: { monitorId: soon.id } })).toBe(0);
      expect(ct.receiver.at("/ssl")).toHaveLength(1);
    },
    TIMEOUT_MS,
  );

  it.concurrent(
    "runs an api monitor's steps: up while they pass, down naming the failing step",
    async ({ db, target, ct }) => {
      const monitor = ct.monitors.api;
      await waitFor(() => monitorStatus(db, monitor.id, "up"), { timeoutMs: 25_000, what: "api monitor up" });
      target.behaveAt("/api/health", { status: 500 });
      const event = await waitFor(
        () => db.monitorEvent.findFirst({ where: { monitorId: monitor.id, type: "monitor.down" } }),
        { timeoutMs: 25_000, what: "api monitor down" },
      );
      expect(event.cause).toMatchObject({ error: "assertion", http_status: 500 });
      expect((event.cause as { message: string }).message).toBe('Step "health": expected status 200-299, got 500');
    },
    TIMEOUT_MS,
  );

  it.concurrent(
    "runs a ping monitor: up, with the round-trip times stored",
    async ({ db, ct }) => {
      const monitor = ct.monitors.ping;
      await waitFor(() => monitorStatus(db, monitor.id, "up"), { timeoutMs: 25_000, what: "ping monitor up" });
      const first = await db.checkResult.findFirstOrThrow({ where: { monitor: { id: monitor.id } } });
      expect(first).toMatchObject({ status: "up", error: null, httpStatus: null });
      expect(first.details).toMatchObject({ packetsReceived: 3, lossPercent: 0, rttAvgMs: expect.any(Number) });
    },
    TIMEOUT_MS,
  );
});
