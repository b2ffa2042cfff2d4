import { newId } from "@upfleet/ids";
import { test } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { buildExport, MAX_EXPORT_ATTEMPTS } from "./builder.ts";

const OPTIONS = { chunkBytes: 64, fileTtlMs: 60_000 };

type ExportFields = { attempts?: number; status?: "pending" | "processing" | "completed" };

/** `exportRow` seeds an incidents export of the file's organization and gives its id. */
const it = test.extend<{ exportRow: (fields?: ExportFields) => Promise<string> }>({
  exportRow: async ({ db, organizationId }, use) => {
    await use(async (fields = {}) => {
      const row = await db.export.create({
        data: {
          id: newId("export"),
          organizationId,
          type: "incidents",
          format: "csv",
          monitorIds: [],
          from: new Date(Date.now() - 3_600_000),
          to: new Date(),
          ...fields,
        },
      });
      return row.id;
    });
  },
});

describe("buildExport", () => {
  it("completes with exact counts and an expiry, counting the attempt", async ({ db, exportRow }) => {
    const id = await exportRow();
    const outcome = await buildExport(db, id, OPTIONS);
    expect(outcome).toMatchObject({ kind: "completed", rowCount: 0, attempt: 1 });
    const row = await db.export.findUniqueOrThrow({ where: { id }, include: { chunks: true } });
    expect(row).toMatchObject({ status: "completed", attempts: 1, rowCount: 0, error: null });
    expect(Number(row.sizeBytes)).toBe(Buffer.concat(row.chunks.map((c) => c.data)).length);
    expect(row.expiresAt!.getTime() - row.completedAt!.getTime()).toBe(OPTIONS.fileTtlMs);
    expect(await buildExport(db, id, OPTIONS)).toEqual({ kind: "skipped", why: "not pending" });
  });

  it(`fails with an error once ${MAX_EXPORT_ATTEMPTS} attempts were used, dropping any partial file`, async ({
    db,
    exportRow,
  }) => {
    const id = await exportRow({ attempts: MAX_EXPORT_ATTEMPTS, status: "processing" });
    await db.exportChunk.create({ data: { exportId: id, seq: 0, data: Buffer.from("partial") } });
    expect(await buildExport(db, id, OPTIONS)).toMatchObject({ kind: "failed", attempt: MAX_EXPORT_ATTEMPTS + 1 });
    const row = await db.export.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "failed", error: expect.stringMatching(/create the export again/) });
    expect(await db.exportChunk.count({ where: { exportId: id } })).toBe(0);
  });

  it("restarts an interrupted build from scratch: an earlier attempt's chunks are dropped", async ({
    db,
    exportRow,
  }) => {
    const id = await exportRow({ attempts: 1, status: "processing" });
    await db.exportChunk.createMany({
      data: [0, 1, 2].map((seq) => ({ exportId: id, seq, data: Buffer.from(`stale ${seq}`) })),
    });
    expect(await buildExport(db, id, OPTIONS)).toMatchObject({ kind: "completed", attempt: 2 });
    const chunks = await db.exportChunk.findMany({ where: { exportId: id }, orderBy: { seq: "asc" } });
    expect(Buffer.concat(chunks.map((c) => c.data)).toString()).toMatch(/^id,monitor_id,title,/);
  });
});
