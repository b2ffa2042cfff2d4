import { waitFor } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { it } from "./support.ts";

describe("the check pipeline on real processes", () => {
  it("schedules a monitor from the database, checks it, stores results and follows its state", async ({
    db,
    target,
    httpMonitor,
    startPipeline,
  }) => {
    const monitor = await httpMonitor(`${target.url}/pipeline`);
    await startPipeline();

    // The reconciler finds the monitor in PostgreSQL; its ticks are then checked every 10 s.
    const up = await waitFor(
      async () => {
        const m = await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } });
        return m.status === "up" ? m : null;
      },
      { timeoutMs: 25_000, what: "monitor up" },
    );
    expect(up.lastStatus).toBe(200);
    expect(up.lastResponseMs).not.toBeNull();
    const first = await db.checkResult.findFirstOrThrow({ where: { monitor: { id: monitor.id } } });
    // The tick lies on the monitor's grid and the check ran shortly after it.
    expect(first.checkedAt.getTime() - first.tick.getTime()).toBeLessThan(5_000);
    // A success stores no details: it has nothing to add to its columns.
    expect(first).toMatchObject({ status: "up", details: null });

    target.behave({ status: 503 });
    const event = await waitFor(() => db.monitorEvent.findFirst({ where: { monitorId: monitor.id } }), {
      timeoutMs: 25_000,
      what: "monitor.down event",
    });
    expect(event).toMatchObject({ type: "monitor.down", fromStatus: "up", toStatus: "down" });
    expect(event.cause).toMatchObject({ error: "status", http_status: 503 });
    target.behave({ status: 200 });
    // A failure keeps what the check saw, its timings and the worker that ran it.
    const failed = await db.checkResult.findFirstOrThrow({ where: { monitor: { id: monitor.id }, status: "down" } });
    expect(failed.details).toMatchObject({ timings: expect.any(Object), worker: expect.stringMatching(/^wrk_/) });

    // Each tick is stored once, and the rollups count every stored check.
    const results = await db.checkResult.findMany({ where: { monitor: { id: monitor.id } } });
    expect(new Set(results.map((r) => r.tick.getTime())).size).toBe(results.length);
    const hourly = await db.checkRollup.findMany({ where: { monitorId: monitor.id, span: 3600 } });
    expect(hourly.reduce((n, r) => n + r.checks, 0)).toBeGreaterThanOrEqual(results.length);
  });
});
