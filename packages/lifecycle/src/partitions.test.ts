import type { Db } from "@upfleet/db";
import { monitorRow } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import pg from "pg";
import { describe, expect } from "vitest";
import {
  compactClosedPartitions,
  dropCheckPartitionsBefore,
  ensureCheckPartitions,
  listCheckPartitions,
} from "./partitions.ts";

const DAY = 86_400_000;
/** Far from the days the migration made partitions for, so every test starts with none around it. */
const at = (iso: string) => new Date(iso);

/** Stores a result for `tick` and says which table PostgreSQL put it in. */
async function store(db: Db, seq: number, tick: Date): Promise<string> {
  const [row] = await db.$queryRaw<{ partition: string }[]>`
    INSERT INTO check_results (tick, checked_at, monitor_seq, status, region)
    VALUES (${tick}, ${tick}, ${seq}, 'up', 'local')
    RETURNING tableoid::regclass::text AS partition`;
  return row!.partition;
}

const partitionOf = async (db: Db, tick: Date) =>
  (
    await db.$queryRaw<{ partition: string }[]>`
      SELECT tableoid::regclass::text AS partition FROM check_results WHERE tick = ${tick}`
  ).map((r) => r.partition);

const it = test.extend<{ seq: number }>({
  seq: async ({ db, organizationId }, use) => {
    const monitor = await db.monitor.create({ data: monitorRow(organizationId) });
    await use(monitor.seq);
  },
});

describe("check_results partitions", () => {
  it("are created for today and three days ahead, once", async ({ db }) => {
    const now = at("2031-03-10T12:00:00Z");
    expect(await ensureCheckPartitions(db, now)).toEqual([
      "check_results_20310310",
      "check_results_20310311",
      "check_results_20310312",
      "check_results_20310313",
    ]);
    expect(await ensureCheckPartitions(db, new Date(now.getTime() + DAY))).toEqual(["check_results_20310314"]);
    expect(await ensureCheckPartitions(db, now)).toEqual([]);
  });

  it("take each day's ticks, [midnight, next midnight) UTC", async ({ db, seq }) => {
    await ensureCheckPartitions(db, at("2031-06-01T00:00:00Z"), 1);
    expect(await store(db, seq, at("2031-06-01T00:00:00Z"))).toBe("check_partitions.check_results_20310601");
    expect(await store(db, seq, at("2031-06-01T23:59:59.999Z"))).toBe("check_partitions.check_results_20310601");
    expect(await store(db, seq, at("2031-06-02T00:00:00Z"))).toBe("check_partitions.check_results_20310602");
  });

  it("never lose a result that comes before its partition: the default holds it until the day's partition takes it", async ({
    db,
    seq,
  }) => {
    const early = at("2031-07-20T08:00:00Z");
    const stray = at("2031-09-01T08:00:00Z");
    expect(await store(db, seq, early)).toBe("check_partitions.check_results_default");
    expect(await store(db, seq, stray)).toBe("check_partitions.check_results_default");
    // Its day comes: the partition is made and the row moves into it.
    const created = await ensureCheckPartitions(db, at("2031-07-20T00:00:00Z"), 0);
    // A day the default held rows of gets its partition too, whatever "now" is.
    expect(created).toEqual(["check_results_20310720", "check_results_20310901"]);
    expect(await partitionOf(db, early)).toEqual(["check_partitions.check_results_20310720"]);
    expect(await partitionOf(db, stray)).toEqual(["check_partitions.check_results_20310901"]);
    // The same result again is still one row: the primary key holds across the move.
    await expect(store(db, seq, early)).rejects.toThrow(/unique|duplicate/i);
  });

  it("move a day's rows out of the default with no reader seeing them vanish meanwhile", async ({
    db,
    database,
    seq,
  }) => {
    const rows = 20_000;
    const reader = new pg.Client({ connectionString: database.url });
    await reader.connect();
    try {
      // A few days, each moved while a reader counts its rows as fast as it can.
      for (const day of ["2033-04-01", "2033-04-02", "2033-04-03"]) {
        const start = at(`${day}T00:00:00Z`);
        await db.$executeRaw`
          INSERT INTO check_results (tick, checked_at, monitor_seq, status, region)
          SELECT ${start}::timestamptz + g * interval '1 second', ${start}, ${seq}, 'up', 'local'
          FROM generate_series(1, ${rows}::int) g`;
        const counts: number[] = [];
        let moving = true;
        const move = ensureCheckPartitions(db, start, 0).finally(() => {
          moving = false;
        });
        while (moving) {
          const { rows: found } = await reader.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM check_results WHERE tick >= $1 AND tick < $2",
            [start, new Date(start.getTime() + DAY)],
          );
          counts.push(found[0]!.n);
        }
        expect(await move).toContain(`check_results_${day.replaceAll("-", "")}`);
        expect(counts.filter((n) => n !== rows)).toEqual([]);
        expect(await partitionOf(db, new Date(start.getTime() + 1_000))).toEqual([
          `check_partitions.check_results_${day.replaceAll("-", "")}`,
        ]);
      }
    } finally {
      await reader.end();
    }
  });

  it("are created once when several alerters start at the same time", async ({ db }) => {
    const now = at("2032-01-10T00:00:00Z");
    const runs = await Promise.all(Array.from({ length: 4 }, () => ensureCheckPartitions(db, now, 2)));
    expect(runs.flat().sort()).toEqual(["check_results_20320110", "check_results_20320111", "check_results_20320112"]);
  });

  it("go a whole day at a time, only days wholly before the cutoff, with default rows past it", async ({ db, seq }) => {
    await ensureCheckPartitions(db, at("2033-05-01T00:00:00Z"), 3);
    const ticks = [0, 1, 2, 3].map((d) => new Date(at("2033-05-01T10:00:00Z").getTime() + d * DAY));
    for (const tick of ticks) await store(db, seq, tick);
    const lateForDroppedDay = at("2033-04-20T10:00:00Z");
    const keptInDefault = at("2033-06-20T10:00:00Z");
    await store(db, seq, lateForDroppedDay);
    await store(db, seq, keptInDefault);

    const dropped = await dropCheckPartitionsBefore(db, at("2033-05-03T00:00:00Z"));
    // The file's earlier tests left older days behind: they go too, and nothing from the cutoff on.
    expect(dropped).toEqual(expect.arrayContaining(["check_results_20330501", "check_results_20330502"]));
    expect(dropped.every((name) => name < "check_results_20330503")).toBe(true);
    const left = await db.$queryRaw<{ tick: Date }[]>`
      SELECT tick FROM check_results WHERE monitor_seq = ${seq} AND tick >= '2033-01-01' ORDER BY tick`;
    expect(left.map((r) => r.tick)).toEqual([ticks[2], ticks[3], keptInDefault]);
    const names = (await listCheckPartitions(db)).map((p) => p.name);
    expect(names).toContain("check_results_20330503");
    expect(names).not.toContain("check_results_20330502");
  });

  it("of closed days get their index rebuilt once, packed, and nothing else changes", async ({
    db,
    organizationId,
  }) => {
    const monitors = await Promise.all(
      Array.from({ length: 200 }, () => db.monitor.create({ data: monitorRow(organizationId) })),
    );
    const day = at("2034-02-01T00:00:00Z");
    await ensureCheckPartitions(db, day, 0);
    // A day as ingest writes it: a tick at a time, across every monitor.
    await db.$executeRaw`
      INSERT INTO check_results (tick, checked_at, monitor_seq, status, region)
      SELECT ${day}::timestamptz + n * interval '30 s', ${day}::timestamptz + n * interval '30 s', s, 'up', 'eu-west'
      FROM generate_series(0, 199) AS n, unnest(${monitors.map((m) => m.seq)}::int[]) AS s
      ORDER BY n, s`;
    const indexBytes = async () =>
      Number(
        (
          await db.$queryRaw<{ bytes: bigint }[]>`
            SELECT pg_relation_size('check_partitions.check_results_20340201_pkey') AS bytes`
        )[0]!.bytes,
      );
    const before = await indexBytes();
    const rows = await db.checkResult.count({ where: { tick: { gte: day, lt: new Date(day.getTime() + DAY) } } });

    // Still open (and for two hours after its end, for late results): left alone.
    expect(await compactClosedPartitions(db, new Date(day.getTime() + DAY + 3_600_000))).not.toContain(
      "check_results_20340201",
    );
    const compacted = await compactClosedPartitions(db, new Date(day.getTime() + 2 * DAY));
    expect(compacted).toContain("check_results_20340201");
    expect(await indexBytes()).toBeLessThan(before * 0.9);
    expect(await db.checkResult.count({ where: { tick: { gte: day, lt: new Date(day.getTime() + DAY) } } })).toBe(rows);
    expect(await compactClosedPartitions(db, new Date(day.getTime() + 3 * DAY))).not.toContain(
      "check_results_20340201",
    );
  });

  it("give up a drop whose lock is not had within 100 ms, so ingest never waits longer, and drop it next run", async ({
    db,
    database,
  }) => {
    await ensureCheckPartitions(db, at("2035-03-01T00:00:00Z"), 0);
    // An ingest statement in flight: it holds check_results, which a DROP of a partition must wait for.
    const ingest = new pg.Client({ connectionString: database.url });
    await ingest.connect();
    try {
      await ingest.query("BEGIN");
      await ingest.query("LOCK TABLE check_results IN ROW EXCLUSIVE MODE");
      const started = Date.now();
      expect(await dropCheckPartitionsBefore(db, at("2035-03-05T00:00:00Z"))).not.toContain("check_results_20350301");
      expect(Date.now() - started).toBeLessThan(2_000);
      await ingest.query("COMMIT");
    } finally {
      await ingest.end();
    }
    expect(await dropCheckPartitionsBefore(db, at("2035-03-05T00:00:00Z"))).toContain("check_results_20350301");
  });
});
