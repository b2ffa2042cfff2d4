/** What every benchmark script needs around its measurement: cleanup on any exit, formatting, the machine. */
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import os from "node:os";

const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | undefined;

/** Registers something to undo when the run ends (normal end, failure, Ctrl-C or SIGTERM), last first. */
export function onCleanup(what: string, run: () => Promise<unknown>): void {
  cleanups.push({ what, run });
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(`cleanup: ${what} failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

// Listeners stay installed: pnpm and tsx pass Ctrl-C on again, and under tsx a signal that finds no
// listener exits the process at once, which would cut the cleanup short.
let signals = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    signals++;
    if (signals === 1) {
      console.error(`\n${signal}: stopping every process started and dropping the database…`);
      void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    } else if (signals >= 4) {
      console.error(`${signal} again: exiting without finishing the cleanup`);
      process.exit(1);
    }
  });
}

/** Runs a benchmark's main, then the cleanups, whatever happened; exits with 1 on failure. */
export async function run(main: () => Promise<void>): Promise<never> {
  try {
    await main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
  process.exit();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// In report.ts, which pure table code (and its unit tests) import without the signal handlers above.
export { fmt } from "./report.ts";

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

/** The machine, as a report names it; the load average says whether anything else was running. */
export async function machine(): Promise<string> {
  const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
  return `${os.availableParallelism()} CPUs (nproc), ${model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}; load average at start ${load} (1/5/15 min)`;
}

/** Nearest-rank quantile of unsorted values (NaN when there are none). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
