/** The idle block of `pnpm bench:fleet --monitors 0` (issue #15): what the system costs with nothing due. */
import { fmt } from "../lib/harness.ts";

/**
 * Issue #15: all-in ≤ 0.5 % of one core, and no PostgreSQL query or Redis command more often than once
 * a second: PostgreSQL per statement text (sampled, bench/fleet/pg-sampler.ts), Redis per command.
 */
export const IDLE_TARGET = { allInPercent: 0.5, perSecond: 1 } as const;

/**
 * An idle run's warm-up: V8's memory reducer runs its full collections (60–200 ms each on the API's and
 * the alerter's ~60 MB heaps) one to two minutes after a process starts, so a shorter warm-up measures
 * the start-up's tail rather than the idle system (BENCHMARKS.md, idle).
 */
export const IDLE_WARMUP_S = 120;

interface IdleFigures {
  date: string;
  machine: string;
  command: string;
  config: { warmupS: number; durationS: number; workers: number; acl: boolean; redisHz: number };
  windowS: number;
  rows: { name: string; ours: boolean; cpuSeconds: number; rssMb?: number }[];
  oursCpuSeconds: number;
  allInCpuSeconds: number;
  redisCommands: { total: number; byCommand: [string, number][] };
  pg: { xactsPerS: number };
  pgStatements: { byStatement: [string, number][] } | undefined;
  machineBusyCoreS: number;
  machineCores: number;
}

export function renderIdle(f: IdleFigures, target: typeof IDLE_TARGET): string {
  const verdict = (ok: boolean) => (ok ? "**pass**" : "**FAIL**");
  // Something run once a second fits ⌊window⌋ + 1 times in the window.
  const atMostOncePerSecond = (rate: number) => rate * f.windowS <= f.windowS * target.perSecond + 1;
  const percent = (cpuSeconds: number) => (cpuSeconds / f.windowS) * 100;
  const allIn = percent(f.allInCpuSeconds);
  const [busiest, busiestRate = 0] = f.redisCommands.byCommand[0] ?? ["–"];
  const statements = f.pgStatements?.byStatement ?? [];
  const [query = "–", queryRate = 0] = statements[0] ?? [];
  const commands = f.redisCommands.byCommand.map(([name, rate]) => `${name} ${fmt(rate, 2)}`).join(", ") || "none";
  const workers = `${f.config.workers} worker${f.config.workers > 1 ? "s" : ""}`;
  return [
    `### Idle: 0 monitors; the API, the alerter and ${workers} up`,
    "",
    `- Date: ${f.date}`,
    `- Machine: ${f.machine}`,
    `- Command: \`${f.command}\``,
    `- Setup: an empty fresh database, a redis-server of the run's own (hz ${f.config.redisHz})${f.config.acl ? " with each process connecting as its own Redis user (`pnpm fleet:acl`)" : ""}; warm-up ${f.config.warmupS} s, window ${f.config.durationS} s, nothing scraped in the window. The machine is shared: "everything else" is other work on it, and CPU figures this small move with its load.`,
    "",
    "| figure | measured | target | |",
    "|---|---:|---:|---|",
    `| CPU all-in (ours + Redis + the database's PostgreSQL backends), % of one core | ${fmt(allIn, 2)} % | ≤ ${target.allInPercent} % | ${verdict(allIn <= target.allInPercent)} |`,
    `| PostgreSQL: busiest statement, runs/s | ${fmt(queryRate, 2)}: \`${query.replaceAll("|", "\\|")}\` | ≤ ${target.perSecond} | ${verdict(atMostOncePerSecond(queryRate))} |`,
    `| PostgreSQL: commits/s (the bench database, pg_stat_database) | ${fmt(f.pg.xactsPerS, 2)} | | |`,
    `| Redis: busiest command, calls/s | ${busiest} ${fmt(busiestRate, 2)} | ≤ ${target.perSecond} | ${verdict(atMostOncePerSecond(busiestRate))} |`,
    `| Redis: all commands/s (INFO commandstats; commands run inside scripts count too) | ${fmt(f.redisCommands.total, 2)}: ${commands} | | |`,
    "",
    "PostgreSQL statements seen (runs/s):",
    "",
    ...statements.map(([text, rate]) => `- ${fmt(rate, 2)}: \`${text}\``),
    "",
    "| process | | CPU s in window | % of one core | RSS at end MB |",
    "|---|---|---:|---:|---:|",
    ...f.rows.map(
      (r) =>
        `| ${r.name} | ${r.ours ? "ours" : ""} | ${fmt(r.cpuSeconds, 2)} | ${fmt(percent(r.cpuSeconds), 2)} % | ${r.rssMb === undefined ? "" : fmt(r.rssMb)} |`,
    ),
    `| **our processes** | | ${fmt(f.oursCpuSeconds, 2)} | ${fmt(percent(f.oursCpuSeconds), 2)} % | |`,
    `| **all-in** | | ${fmt(f.allInCpuSeconds, 2)} | ${fmt(allIn, 2)} % | |`,
    `| whole machine (${f.machineCores} cores) | | ${fmt(f.machineBusyCoreS, 1)} | ${fmt(percent(f.machineBusyCoreS), 1)} % | |`,
  ].join("\n");
}
