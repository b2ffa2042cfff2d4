/**
 * Uptime Kuma as a child process of the bench: `node server/server.js` itself (not through npm, so
 * its pid is the process whose CPU is measured), on loopback, with SQLite in a fresh data directory
 * that Kuma's own code prepared (kuma-data.cjs), and stopped when the run ends.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "@upfleet/testing";
import { freePort, onCleanup, sleep } from "../lib/harness.ts";

const PREPARE = path.join(path.dirname(fileURLToPath(import.meta.url)), "kuma-data.cjs");

export interface KumaServer {
  pid: number;
  url: string;
  /** Its last lines of output, for a failure's message. */
  output(): string;
  /** Stops it and removes its data directory (also done when the run ends, if not before). */
  stop(): Promise<void>;
}

async function prepareDataDir(kumaDir: string, dataDir: string): Promise<void> {
  const child = spawn(process.execPath, [PREPARE, dataDir], { cwd: kumaDir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`kuma: preparing ${dataDir} failed (${code}):\n${output}`);
}

/** Starts Kuma from the built checkout `kumaDir` and resolves once it serves HTTP. */
export async function startKuma(kumaDir: string): Promise<KumaServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "upfleet-bench-kuma-"));
  await prepareDataDir(kumaDir, dataDir).catch(async (error) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });

  const port = await freePort();
  const child = spawn(process.execPath, ["server/server.js"], {
    cwd: kumaDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      UPTIME_KUMA_DB_TYPE: "sqlite",
      DATA_DIR: dataDir,
      UPTIME_KUMA_HOST: "127.0.0.1",
      UPTIME_KUMA_PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().trimEnd().split("\n"));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      // Kuma closes its database on SIGTERM, which takes it a few seconds.
      await Promise.race([exited, sleep(20_000).then(() => child.kill("SIGKILL"))]);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  onCleanup("stop Uptime Kuma", stop);
  const output = () => lines.join("\n");
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor(async () => (await fetch(`${url}/robots.txt`)).ok, { timeoutMs: 120_000, what: "Uptime Kuma to serve" }),
    exited.then(([code]) => {
      throw new Error(`Uptime Kuma exited (${code}) before serving:\n${output()}`);
    }),
  ]);
  return { pid: child.pid!, url, output, stop };
}
