import type { Db, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { processMonitorEvents } from "@upfleet/incidents";
import { type JobQueue, openQueue } from "@upfleet/queue";
import { monitorRow, stateChangeRow } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";

export interface Tenant {
  organizationId: string;
  monitor(fields?: Partial<Prisma.MonitorUncheckedCreateInput>): Promise<string>;
  channel(fields?: Partial<Prisma.NotificationChannelUncheckedCreateInput>): Promise<string>;
  rule(fields: Partial<Prisma.NotificationRuleUncheckedCreateInput>): Promise<string>;
  policy(steps: { delay_minutes: number; channel_ids: string[] }[]): Promise<string>;
  /** A state change as the results ingest writes it, applied by the incident consumer. */
  change(monitorId: string, type: "monitor.down" | "monitor.up", tick: Date): Promise<string>;
}

/** An organization of its own in `db`, with seed helpers for its rows. */
async function createTenant(db: Db): Promise<Tenant> {
  const organizationId = newId("organization");
  await db.organization.create({ data: { id: organizationId, name: `Org ${organizationId.slice(-4)}` } });
  return {
    organizationId,
    async monitor(fields = {}) {
      const row = monitorRow(organizationId, { tags: ["prod"], ...fields });
      await db.monitor.create({ data: row });
      return row.id;
    },
    async channel(fields = {}) {
      const id = newId("channel");
      await db.notificationChannel.create({
        data: {
          id,
          organizationId,
          name: "Ops",
          type: "webhook",
          config: { url: "https://hooks.example.com" },
          ...fields,
        },
      });
      return id;
    },
    async rule(fields) {
      const id = newId("rule");
      await db.notificationRule.create({
        data: { id, organizationId, name: "Route", events: [], monitorIds: [], tags: [], channelIds: [], ...fields },
      });
      return id;
    },
    async policy(steps) {
      const id = newId("escalationPolicy");
      await db.escalationPolicy.create({ data: { id, organizationId, name: "On call", steps } });
      return id;
    },
    async change(monitorId, type, tick) {
      const row = stateChangeRow(organizationId, monitorId, type, tick);
      await db.monitorEvent.create({ data: row });
      while ((await processMonitorEvents(db)).processed > 0);
      return row.id;
    },
  };
}

/** The file's delivery and escalation queues, in its Redis key space. */
interface AlertingQueues {
  deliveries: JobQueue<"delivery">;
  escalations: JobQueue<"escalation">;
}

/**
 * `test` with `t`, a tenant of its own for each test in the file's database, `tenant` to make more,
 * and the file's `queues`.
 */
export const it = test.extend<{ t: Tenant; tenant: () => Promise<Tenant>; queues: AlertingQueues }>({
  tenant: async ({ db }, use) => use(() => createTenant(db)),
  t: async ({ tenant }, use) => use(await tenant()),
  queues: [
    async ({ redis }, use) => {
      const options = { connection: { url: redis.url, maxRetriesPerRequest: null }, prefix: `${redis.prefix}:bull` };
      const queues = { deliveries: openQueue("delivery", options), escalations: openQueue("escalation", options) };
      await use(queues);
      await Promise.all([queues.deliveries.close(), queues.escalations.close()]);
    },
    { scope: "file" },
  ],
});
