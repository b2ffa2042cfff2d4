/** CPU and memory of processes and of the machine, read from /proc (Linux only). */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcSample {
  pid: number;
  /** utime + stime of every thread, in seconds. */
  cpuSeconds: number;
  /** Of children that exited and were reaped (a postmaster's backends). */
  childCpuSeconds: number;
  rssKb: number;
  /** Peak resident set size since the process started (VmHWM). */
  hwmKb: number;
}

/** One process's counters, or null when it is gone. */
export async function sampleProcess(pid: number): Promise<ProcSample | null> {
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, "utf8"),
      readFile(`/proc/${pid}/status`, "utf8"),
    ]);
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const tick = (i: number) => Number(fields[i] ?? 0) / CLK_TCK;
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return {
      pid,
      // Fields 14–17 of proc(5): utime, stime, cutime, cstime (0-based 11–14 after the name).
      cpuSeconds: tick(11) + tick(12),
      childCpuSeconds: tick(13) + tick(14),
      rssKb: kb("VmRSS"),
      hwmKb: kb("VmHWM"),
    };
  } catch {
    return null;
  }
}

export interface MachineSample {
  /** Busy core-seconds since boot (everything but idle and iowait), all cores together. */
  busySeconds: number;
  totalSeconds: number;
}

export async function sampleMachine(): Promise<MachineSample> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0]!;
  const [, ...values] = line.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const n = values.slice(0, 8).map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return { busySeconds: (total - idle) / CLK_TCK, totalSeconds: total / CLK_TCK };
}
