/**
 * `pnpm bench:peer --kuma-dir DIR`: Uptime Kuma and Upfleet side by side (issue #15), one size after
 * the other on the same machine. For each size, Kuma (installed and built in DIR if not yet) starts
 * on a fresh SQLite data directory, gets N HTTP monitors through its socket.io API against a
 * keep-alive loopback target, and its process's CPU is read from /proc over a window after a
 * warm-up; then `pnpm bench:fleet` measures Upfleet at the same size and window. One table goes to
 * BENCHMARKS.md. See `--help`.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { sampleMachine, sampleProcess } from "../fleet/procfs.ts";
import { publish, writeBlock } from "../lib/benchmarks-md.ts";
import { fmt, machine, run, sleep } from "../lib/harness.ts";
import { type Helper, startHelper } from "../lib/processes.ts";
import { HELP, type PeerOptions, parsePeerArgs } from "./args.ts";
import { kumaSession } from "./kuma-client.ts";
import { prepareKuma } from "./kuma-install.ts";
import { startKuma } from "./kuma-server.ts";
import {
  type FleetFigures,
  FleetResults,
  type KumaFigures,
  kumaKeptUp,
  kumaMsPerCheck,
  type PeerRow,
  renderPeer,
} from "./report.ts";

const BENCH = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ROOT = path.dirname(BENCH);
/** As the fleet bench's monitors, so both sides wait as long on a slow answer. */
const TIMEOUT_S = 5;
/** Adds in flight at once: one at a time, 1,000 monitors took minutes on a loaded machine. */
const ADD_CONCURRENCY = 8;

const SECTION = "## Peer: Uptime Kuma side by side (pnpm bench:peer)";
const INTRO = `\`pnpm bench:peer --kuma-dir DIR\` (\`bench/peer/\`) runs Uptime Kuma from a checkout of its tag 2.5.3
(installed and built in DIR when needed: \`npm ci --ignore-scripts\`, its SQLite driver rebuilt from source
against this Node, \`npm run build\`) with SQLite on loopback and its update check off, adds N HTTP monitors
through its socket.io API and reads its process's CPU from \`/proc\`; then runs \`pnpm bench:fleet\` at the same
size and window. The issue's target (#15): at 1,000 monitors, Upfleet all-in ≤ ⅓ of Kuma's ms per check.`;

function options(): PeerOptions {
  try {
    const parsed = parsePeerArgs(process.argv.slice(2));
    if ("help" in parsed) {
      console.log(HELP);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
}

async function measureKuma(o: PeerOptions, monitors: number, target: Helper): Promise<KumaFigures> {
  const kuma = await startKuma(o.kumaDir);
  console.log(`kuma: serving ${kuma.url} (pid ${kuma.pid}); adding ${fmt(monitors)} monitors`);
  const adding = Date.now();
  const session = await kumaSession(kuma.url);
  let next = 0;
  const adder = async () => {
    for (let i = next++; i < monitors; i = next++) {
      await session.add({
        name: `bench ${i}`,
        url: `${target.url}/m/${i}`,
        intervalS: o.intervalS,
        timeoutS: TIMEOUT_S,
      });
      if (i % 100 === 99) console.log(`kuma: ${fmt(i + 1)} monitors added`);
    }
  };
  await Promise.all(Array.from({ length: ADD_CONCURRENCY }, adder));
  // Headless from here on: with no client connected, Kuma sends its heartbeats to nobody.
  session.close();
  const addS = (Date.now() - adding) / 1000;
  console.log(`kuma: ${fmt(monitors)} monitors added in ${fmt(addS, 1)} s; warm-up ${o.warmupS} s`);
  await sleep(o.warmupS * 1000);

  const count = async () => (await target.ask<{ served: number }>("count")).served;
  const servedBefore = await count();
  const before = await sampleProcess(kuma.pid);
  const machineBefore = await sampleMachine();
  const start = Date.now();
  await sleep(o.durationS * 1000);
  const after = await sampleProcess(kuma.pid);
  const machineAfter = await sampleMachine();
  const windowS = (Date.now() - start) / 1000;
  const checks = (await count()) - servedBefore;
  if (!before || !after) throw new Error(`Uptime Kuma exited during the window:\n${kuma.output()}`);
  await kuma.stop();

  const figures: KumaFigures = {
    monitors,
    intervalS: o.intervalS,
    windowS,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
    checks,
    addS,
    rssMb: after.rssKb / 1024,
    hwmMb: after.hwmKb / 1024,
    machineBusyCores: (machineAfter.busySeconds - machineBefore.busySeconds) / windowS,
  };
  console.log(
    `kuma: ${fmt(checks / windowS, 1)} checks/s (expected ${fmt(monitors / o.intervalS, 1)}), ${fmt(kumaMsPerCheck(figures), 2)} ms CPU per check, ${fmt((figures.cpuSeconds / windowS) * 100, 1)} % of a core (machine: ${fmt(figures.machineBusyCores, 2)} cores busy)`,
  );
  if (!kumaKeptUp(figures)) console.warn("kuma: checks/s more than 10 % off N / interval (⚠ in the table)");
  return figures;
}

/** Upfleet at the same size: `pnpm bench:fleet`, whose results file says where it wrote. */
async function measureUpfleet(o: PeerOptions, monitors: number): Promise<FleetFigures> {
  const args = ["--silent", "bench:fleet", "--monitors", String(monitors), "--interval", String(o.intervalS)];
  args.push("--warmup", String(o.warmupS), "--duration", String(o.durationS), "--no-write");
  console.log(`upfleet: pnpm ${args.join(" ")}`);
  const child = spawn("pnpm", args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let resultsFile: string | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    console.log(`upfleet: ${line}`);
    resultsFile = /^results: (\S+\.json)$/.exec(line)?.[1] ?? resultsFile;
  }
  const code = child.exitCode ?? (await new Promise((resolve) => child.once("exit", resolve)));
  if (code !== 0 || !resultsFile) throw new Error(`pnpm bench:fleet failed (exit ${code}, results ${resultsFile})`);
  return FleetResults.parse(JSON.parse(await readFile(path.join(ROOT, resultsFile), "utf8")));
}

async function main(): Promise<void> {
  const o = options();
  const kumaVersion = await prepareKuma(o.kumaDir);
  const about = await machine();
  console.log(about);
  const target = await startHelper(path.join(BENCH, "fleet/target.ts"), "target");
  const rows: PeerRow[] = [];
  const date = new Date().toISOString();
  for (const monitors of o.monitors) {
    const kuma = await measureKuma(o, monitors, target);
    const upfleet = await measureUpfleet(o, monitors);
    rows.push({ kuma, upfleet });
  }
  const text = renderPeer({
    date,
    machine: about,
    command: ["pnpm bench:peer", ...process.argv.slice(2)].join(" "),
    kumaVersion,
    rows,
  });
  await publish({ bench: "peer", section: SECTION, intro: INTRO, text, figures: rows, write: false });
  // One block whatever the options (publish would key it by them, the Kuma folder's path included).
  if (o.write) {
    await writeBlock({ bench: "peer", key: "default", section: SECTION, intro: INTRO, body: text });
    console.log(`BENCHMARKS.md: the block of "${SECTION.slice(3)}" updated`);
  }
}

await run(main);
