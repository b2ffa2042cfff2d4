/** The figures of `pnpm bench:peer` and its one table: Uptime Kuma and Upfleet per size. */
import { z } from "zod";
import { fmt, type RunInfo, verdict } from "../lib/report.ts";

/** The monitor count at which the target applies (issue #15): Upfleet ≤ 1/3 of Kuma per check. */
const TARGET_MONITORS = 1_000;
const TARGET_RATIO = 1 / 3;

export interface KumaFigures {
  monitors: number;
  intervalS: number;
  windowS: number;
  /** utime + stime of Kuma's process over the window. */
  cpuSeconds: number;
  /** Requests the target served in the window: one per check, as no monitor retries. */
  checks: number;
  /** Seconds it took to add the monitors through socket.io. */
  addS: number;
  rssMb: number;
  hwmMb: number;
  /** How loaded the machine was over Kuma's window, in cores (the figures are indicative above ~1). */
  machineBusyCores: number;
}

/** What this bench reads of the results file `pnpm bench:fleet` writes (bench/results/fleet-*.json). */
export const FleetResults = z.object({
  command: z.string(),
  windowS: z.number(),
  stored: z.number(),
  checksPerS: z.number(),
  expectedChecksPerS: z.number(),
  missedTicks: z.number(),
  oursCpuSeconds: z.number(),
  cpuMsPerCheck: z.number(),
  allInCpuSeconds: z.number(),
  allInMsPerCheck: z.number(),
});
export type FleetFigures = z.infer<typeof FleetResults>;

export interface PeerRow {
  kuma: KumaFigures;
  upfleet: FleetFigures;
}

export interface PeerRun extends RunInfo {
  kumaVersion: string;
  rows: PeerRow[];
}

export const kumaMsPerCheck = (k: KumaFigures) => (k.cpuSeconds * 1000) / Math.max(1, k.checks);
const kumaExpectedPerS = (k: KumaFigures) => k.monitors / k.intervalS;
const coreShare = (cpuSeconds: number, windowS: number) => `${fmt((cpuSeconds / windowS) * 100, 1)} %`;

/** Kuma checked about as often as asked: within 10 % of N / interval over the window. */
export const kumaKeptUp = (k: KumaFigures) =>
  Math.abs(k.checks / k.windowS - kumaExpectedPerS(k)) <= 0.1 * kumaExpectedPerS(k);

function target(row: PeerRow): string {
  if (row.kuma.monitors !== TARGET_MONITORS) return "";
  const limit = kumaMsPerCheck(row.kuma) * TARGET_RATIO;
  return `≤ ${fmt(limit, 2)} ms (⅓ of Kuma's): ${verdict(row.upfleet.allInMsPerCheck <= limit)}`;
}

function tableRow(row: PeerRow): string {
  const { kuma, upfleet } = row;
  const ratio = upfleet.allInMsPerCheck / kumaMsPerCheck(kuma);
  return [
    `${fmt(kuma.monitors)} @ ${kuma.intervalS} s`,
    `**${fmt(kumaMsPerCheck(kuma), 2)}**`,
    coreShare(kuma.cpuSeconds, kuma.windowS),
    `${fmt(kuma.checks / kuma.windowS, 1)} (${fmt(kumaExpectedPerS(kuma), 1)})${kumaKeptUp(kuma) ? "" : " ⚠"}`,
    fmt(kuma.hwmMb),
    `**${fmt(upfleet.allInMsPerCheck, 2)}**`,
    fmt(upfleet.cpuMsPerCheck, 2),
    coreShare(upfleet.allInCpuSeconds, upfleet.windowS),
    `${fmt(upfleet.checksPerS, 1)} (${fmt(upfleet.expectedChecksPerS, 1)}), ${fmt(upfleet.missedTicks)} missed`,
    `${fmt(ratio, 2)} ×`,
    target(row),
  ].join(" | ");
}

export function renderPeer(run: PeerRun): string {
  const [first] = run.rows;
  const sizes = run.rows.map((row) => fmt(row.kuma.monitors)).join(" and ");
  const busy = run.rows.map((row) => fmt(row.kuma.machineBusyCores, 2)).join(" / ");
  return [
    `### Uptime Kuma ${run.kumaVersion} and Upfleet, ${sizes} monitors × ${first?.kuma.intervalS ?? "–"} s`,
    "",
    `- Date: ${run.date}`,
    `- Machine: ${run.machine}; busy over Kuma's windows (all processes, \`/proc/stat\`): ${busy} cores`,
    `- Command: \`${run.command}\``,
    `- Uptime Kuma ${run.kumaVersion}, **headless** (no browser connected: the socket.io client that added the monitors disconnects before the warm-up), one process, SQLite; window ${first ? fmt(first.kuma.windowS) : "–"} s after a warm-up. Upfleet: \`pnpm bench:fleet\` at each size with the same interval, warm-up and window (API + alerter + 1 worker; all-in adds Redis and the database's PostgreSQL backends).`,
    "",
    "| monitors | Kuma ms per check | Kuma % of a core | Kuma checks/s (expected) | Kuma VmHWM MB | Upfleet ms per check all-in | Upfleet ms per check ours | Upfleet all-in % of a core | Upfleet checks/s (expected) | Upfleet ÷ Kuma (all-in) | target |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...run.rows.map((row) => `| ${tableRow(row)} |`),
    "",
    `Kuma's CPU is its process's utime + stime from \`/proc/<pid>/stat\` over the window, per check the keep-alive loopback target answered in it (each of its HTTP monitors: GET, interval as above, no retries, timeout 5 s); ⚠ marks a size where Kuma's checks/s were more than 10 % off N ÷ interval. Upfleet's figures are its \`pnpm bench:fleet\` run of the same size and window, right after Kuma's.`,
  ].join("\n");
}
