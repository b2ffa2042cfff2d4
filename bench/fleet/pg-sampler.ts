/**
 * Which statements the apps send, and how often, without pg_stat_statements (not installed here):
 * pg_stat_activity shows each backend's latest statement and when it started, so sampling it every
 * 50 ms and counting distinct (backend, start) pairs finds every statement of a backend that runs
 * fewer than one per 50 ms, as an idle system does (a busier one is undercounted). It reads through
 * the server's `postgres` database, so its own statements never count in the bench database's commits.
 */
import { createDb } from "@upfleet/db";
import { sleep } from "../lib/harness.ts";

const EVERY_MS = 50;

export interface StatementRates {
  /** Statements per second by text (whitespace folded, cut at 100 characters), busiest first. */
  byStatement: [string, number][];
}

/** Starts sampling the statements sent to `database`; `stop` returns their rates over `seconds`. */
export function sampleStatements(
  databaseUrl: string,
  database: string,
): { stop(seconds: number): Promise<StatementRates> } {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  const db = createDb(url.toString(), { poolSize: 1 });
  const seen = new Map<string, string>();
  /** What the backends ran before sampling began. */
  const before = new Set<string>();
  let stopped = false;
  const sampling = (async () => {
    for (let first = true; !stopped; first = false) {
      const rows = await db.$queryRaw<{ pid: number; started: Date | null; query: string }[]>`
        SELECT pid, query_start AS started, query FROM pg_stat_activity
        WHERE datname = ${database} AND backend_type = 'client backend'`;
      for (const row of rows) {
        const key = `${row.pid}@${row.started?.toISOString()}`;
        if (first) before.add(key);
        else if (!before.has(key)) seen.set(key, row.query);
      }
      await sleep(EVERY_MS);
    }
  })();
  return {
    async stop(seconds) {
      stopped = true;
      await sampling.finally(() => db.$disconnect());
      const counts = new Map<string, number>();
      for (const query of seen.values()) {
        const text = query.replace(/\s+/g, " ").trim().slice(0, 100);
        // A backend that has not run anything yet shows an empty query.
        if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      const byStatement = [...counts].map(([text, n]): [string, number] => [text, n / seconds]);
      return { byStatement: byStatement.sort((a, b) => b[1] - a[1]) };
    },
  };
}
