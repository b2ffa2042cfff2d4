import { newId } from "@upfleet/ids";
import { describe, expect } from "vitest";
import { it as base } from "./test-support.ts";

type Insert = (monitorId: string | null, openMonitorId: string | null, status?: string) => Promise<number>;

/** `insert` writes plain SQL, as any code (or a person with psql) could: the database alone must refuse. */
const it = base.extend<{ insert: Insert }>({
  insert: async ({ db, organizationId }, use) =>
    use((monitorId, openMonitorId, status = "investigating") => {
      const resolvedAt = status === "resolved" ? new Date() : null;
      return db.$executeRaw`
        INSERT INTO incidents (id, organization_id, monitor_id, open_monitor_id, title, status, started_at, resolved_at, updated_at)
        VALUES (${newId("incident")}, ${organizationId}, ${monitorId}, ${openMonitorId}, 'Down',
                ${status}::"IncidentStatus", now(), ${resolvedAt}, now())`;
    }),
});

describe("incidents in the database", () => {
  it("never holds two open incidents for one monitor", async ({ db, monitor, insert }) => {
    const monitorId = await monitor();
    await insert(monitorId, monitorId);
    await expect(insert(monitorId, monitorId)).rejects.toThrow(/unique/i);
    expect(await db.incident.count({ where: { monitorId } })).toBe(1);
  });

  it("refuses an open incident that does not claim its monitor, and a resolved one that still does", async ({
    db,
    monitor,
    insert,
  }) => {
    const monitorId = await monitor();
    await expect(insert(monitorId, null)).rejects.toThrow(/incidents_open_monitor_id_check/);
    await expect(insert(monitorId, monitorId, "resolved")).rejects.toThrow(/incidents_open_monitor_id_check/);
    const other = await monitor();
    await expect(insert(monitorId, other)).rejects.toThrow(/incidents_open_monitor_id_check/);
    expect(await db.incident.count({ where: { monitorId } })).toBe(0);
  });

  it("keeps status and resolved_at in step", async ({ db, organizationId }) => {
    await expect(
      db.$executeRaw`
        INSERT INTO incidents (id, organization_id, title, status, started_at, resolved_at, updated_at)
        VALUES (${newId("incident")}, ${organizationId}, 'x', 'investigating', now(), now(), now())`,
    ).rejects.toThrow(/incidents_resolved_at_check/);
  });

  it("allows any number of resolved incidents for a monitor, and open ones without a monitor", async ({
    db,
    monitor,
    insert,
  }) => {
    const monitorId = await monitor();
    await insert(monitorId, null, "resolved");
    await insert(monitorId, null, "resolved");
    await insert(monitorId, monitorId);
    await insert(null, null);
    await insert(null, null);
    expect(await db.incident.count({ where: { monitorId } })).toBe(3);
  });

  it("opens a monitor's next incident once the previous one is resolved", async ({ db, monitor, insert }) => {
    const monitorId = await monitor();
    await insert(monitorId, monitorId);
    await db.$executeRaw`
      UPDATE incidents SET status = 'resolved', resolved_at = now(), open_monitor_id = NULL
      WHERE monitor_id = ${monitorId}`;
    await insert(monitorId, monitorId);
    expect(await db.incident.count({ where: { monitorId, resolvedAt: null } })).toBe(1);
  });
});
