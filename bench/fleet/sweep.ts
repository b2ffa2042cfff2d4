/**
 * `pnpm bench:fleet --sweep 0,100,1000,10000` (issue #15): the single-run bench once per size, each in a
 * child process of its own (its processes, database and Redis started and stopped with it, as in a
 * single run), and one table of what each size costs, beside issue #15's targets.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fmt } from "../lib/harness.ts";
import { verdict } from "../lib/report.ts";
import { IDLE_WARMUP_S } from "./idle-report.ts";

/** Where a child run writes its figures (JSON), for the sweep to read back. */
export const RESULT_FILE_ENV = "FLEET_RESULT_FILE";

/** The figures of a run the sweep's table needs (a subset of what fleet.ts writes). */
export interface RunFigures {
  config: { monitors: number; intervalS: number; warmupS: number; durationS: number };
  windowS: number;
  checksPerS: number;
  stored: number;
  expectedTicks: number;
  missedTicks: number;
  lagDb: { p99: number | null };
  rows: { name: string; ours: boolean; cpuSeconds: number; rssMb?: number }[];
  oursCpuSeconds: number;
  allInCpuSeconds: number;
  redisCommands: { total: number };
  /** The whole machine's busy CPU in the window (core-seconds), of `machineCores`. */
  machineBusyCoreS: number;
  machineCores: number;
}

/** Runs `args` (a single run's options) in a child `bench/fleet.ts` and returns its figures. */
export async function runChild(args: string[], resultFile: string): Promise<RunFigures> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args, "--no-write"], {
    stdio: "inherit",
    env: { ...process.env, [RESULT_FILE_ENV]: resultFile },
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`bench:fleet ${args.join(" ")} exited with ${code}`);
  return JSON.parse(await readFile(resultFile, "utf8")) as RunFigures;
}

/** The default warm-up and window of one size in a sweep (shorter than a single run's). */
export function sweepWindow(monitors: number, intervalS: number): { warmupS: number; durationS: number } {
  if (monitors === 0) return { warmupS: IDLE_WARMUP_S, durationS: 60 };
  // Every monitor gets its first tick within an interval; at 5,000 and more, seeding and the first
  // reconcile take longer too.
  return { warmupS: Math.max(monitors >= 5_000 ? 60 : 40, intervalS + 10), durationS: 60 };
}

/** Issue #15's target for a size, and whether a run met it. */
function target(f: RunFigures): { text: string; met: boolean } | undefined {
  const percent = (f.allInCpuSeconds / f.windowS) * 100;
  const n = f.config.monitors;
  if (n === 0) return { text: "≤ 0.5 % of one core all-in", met: percent <= 0.5 };
  if (f.config.intervalS !== 30) return undefined;
  if (n === 100) return { text: "≤ 2 % of one core all-in", met: percent <= 2 };
  if (n === 1_000) {
    return { text: "≤ 1.6 ms per check all-in", met: (f.allInCpuSeconds * 1000) / f.stored <= 1.6 };
  }
  if (n === 10_000) return { text: "RSS alerter + worker ≤ 350 MB", met: rssMb(f) <= 350 };
  return undefined;
}

/** The alerter's and the workers' RSS at the window's end. */
function rssMb(f: RunFigures): number {
  return f.rows
    .filter((r) => r.name === "alerter" || r.name.startsWith("worker"))
    .reduce((n, r) => n + (r.rssMb ?? 0), 0);
}

export function renderSweep(
  runs: RunFigures[],
  about: { date: string; machine: string; command: string; results: string[] },
): string {
  const rows = runs.map((f) => {
    const perCheck = (cpuSeconds: number) => (f.stored > 0 ? fmt((cpuSeconds * 1000) / f.stored, 2) : "–");
    const redis =
      f.stored > 0
        ? fmt((f.redisCommands.total * f.windowS) / f.stored, 1)
        : `${fmt(f.redisCommands.total, 2)}/s (idle)`;
    const goal = target(f);
    return [
      fmt(f.config.monitors),
      `${fmt(f.config.warmupS)} + ${fmt(f.config.durationS)} s`,
      fmt(f.checksPerS, 1),
      perCheck(f.allInCpuSeconds),
      perCheck(f.oursCpuSeconds),
      `${fmt((f.allInCpuSeconds / f.windowS) * 100, 2)} %`,
      redis,
      f.stored > 0 && f.lagDb.p99 !== null ? fmt(f.lagDb.p99) : "–",
      f.stored > 0 ? `${fmt(f.missedTicks)} of ${fmt(f.expectedTicks)}` : "–",
      fmt(rssMb(f)),
      `${fmt(f.machineBusyCoreS / f.windowS, 2)} of ${f.machineCores}`,
      goal ? `${goal.text}: ${verdict(goal.met)}` : "",
    ];
  });
  const interval = runs.find((f) => f.config.monitors > 0)?.config.intervalS ?? 30;
  return [
    `### Sweep: 0 to ${fmt(Math.max(...runs.map((f) => f.config.monitors)))} monitors × ${interval} s, 1 alerter and its workers`,
    "",
    `- Date: ${about.date}`,
    `- Machine: ${about.machine}`,
    `- Command: \`${about.command}\` (each size a run of its own, one after the other; figures in ${about.results.map((r) => `\`${r}\``).join(", ")})`,
    "- All-in: our processes (API, alerter, workers) + the run's own Redis + the bench database's PostgreSQL backends. Idle (0 monitors): per-check figures do not apply; Redis is commands per second.",
    "",
    "| monitors | warm-up + window | checks/s | CPU ms per check, all-in | CPU ms per check, ours | % of one core, all-in | Redis commands per check | lag p99 ms | missed | RSS alerter + workers MB | machine busy (cores) | target (issue #15) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
  ].join("\n");
}

/** A sweep child's result file, beside the single runs' own. */
export function childResultFile(resultsDir: string, monitors: number): string {
  return path.join(resultsDir, `fleet-sweep-${monitors}-${Date.now()}.json`);
}
