import type { Db } from "@upfleet/db";
import { buildExport, type OnCompleted } from "@upfleet/exports";
import { newId } from "@upfleet/ids";
import { describe, expect } from "vitest";
import { notifyExportCompleted } from "./export-events.ts";
import { it, type Tenant } from "./test-support.ts";

const OPTIONS = { chunkBytes: 1024, fileTtlMs: 60_000 };

async function pendingExport(db: Db, t: Tenant) {
  const row = await db.export.create({
    data: {
      id: newId("export"),
      organizationId: t.organizationId,
      type: "incidents",
      format: "ndjson",
      monitorIds: [],
      from: new Date(Date.now() - 3_600_000),
      to: new Date(),
    },
  });
  return row.id;
}

/** The alerter's hook, minus the queue: the notifications it created are collected instead. */
function collecting(created: string[]): OnCompleted {
  return async (tx, completed) => {
    created.push(...(await notifyExportCompleted(tx, completed)));
    return undefined;
  };
}

describe("export.completed", () => {
  it("notifies each usable channel of the rules that take it, once, never a rule limited to monitors or tags", async ({
    db,
    t,
  }) => {
    const monitorId = await t.monitor();
    const [all, exportsOnly, ofMonitor, ofTag, otherEvents] = [
      await t.channel(),
      await t.channel(),
      await t.channel(),
      await t.channel(),
      await t.channel(),
    ];
    const disabled = await t.channel({ enabled: false });
    await t.rule({ channelIds: [all] });
    await t.rule({ events: ["export.completed"], channelIds: [exportsOnly, all, disabled] });
    await t.rule({ events: ["export.completed"], monitorIds: [monitorId], channelIds: [ofMonitor] });
    await t.rule({ events: ["export.completed"], tags: ["prod"], channelIds: [ofTag] });
    await t.rule({ events: ["monitor.down"], channelIds: [otherEvents] });

    const id = await pendingExport(db, t);
    const created: string[] = [];
    const outcome = await buildExport(db, id, { ...OPTIONS, onCompleted: collecting(created) });
    expect(outcome).toMatchObject({ kind: "completed", rowCount: 0 });
    const row = await db.export.findUniqueOrThrow({ where: { id } });
    const rows = await db.notification.findMany({
      where: { organizationId: t.organizationId },
      orderBy: { channelId: "asc" },
    });
    expect(rows.map((n) => n.channelId)).toEqual([all, exportsOnly].sort());
    expect(rows.map((n) => n.id).sort()).toEqual([...created].sort());
    expect(rows[0]).toMatchObject({
      event: "export.completed",
      dedupeKey: `export:${id}:${rows[0]!.channelId}`,
      incidentId: null,
      monitorId: null,
      status: "pending",
    });
    expect(rows[0]!.payload).toEqual({
      event: "export.completed",
      monitor: null,
      status: null,
      incident: null,
      export: {
        id,
        type: "incidents",
        format: "ndjson",
        row_count: 0,
        size_bytes: Number(row.sizeBytes),
        download_url: null,
      },
      timestamp: row.completedAt!.toISOString(),
    });

    // A retried job finds the export completed; a replayed completion hits the dedupe keys.
    expect(await buildExport(db, id, { ...OPTIONS, onCompleted: collecting(created) })).toMatchObject({
      kind: "skipped",
    });
    const replayed = await db.$transaction((tx) =>
      notifyExportCompleted(tx, {
        id,
        organizationId: t.organizationId,
        type: row.type,
        format: row.format,
        rowCount: 0,
        sizeBytes: Number(row.sizeBytes),
        completedAt: row.completedAt!,
      }),
    );
    expect(replayed).toEqual([]);
    expect(await db.notification.count({ where: { organizationId: t.organizationId } })).toBe(2);
  });

  it("commits with the completion: if notifying fails, the export is not completed and a retry notifies", async ({
    db,
    t,
  }) => {
    const channel = await t.channel();
    await t.rule({ events: ["export.completed"], channelIds: [channel] });
    const id = await pendingExport(db, t);
    const failing: OnCompleted = async (tx, completed) => {
      await notifyExportCompleted(tx, completed);
      throw new Error("crash before commit");
    };
    await expect(buildExport(db, id, { ...OPTIONS, onCompleted: failing })).rejects.toThrow("crash before commit");
    expect(await db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "processing" });
    expect(await db.notification.count({ where: { organizationId: t.organizationId } })).toBe(0);

    const created: string[] = [];
    expect(await buildExport(db, id, { ...OPTIONS, onCompleted: collecting(created) })).toMatchObject({
      kind: "completed",
      attempt: 2,
    });
    expect(created).toHaveLength(1);
    expect(await db.notification.count({ where: { organizationId: t.organizationId } })).toBe(1);
  });

  it("notifies nobody in an organization without a rule for it", async ({ db, t }) => {
    await t.rule({ events: ["monitor.down"], channelIds: [await t.channel()] });
    const created: string[] = [];
    await buildExport(db, await pendingExport(db, t), { ...OPTIONS, onCompleted: collecting(created) });
    expect(created).toEqual([]);
  });
});
