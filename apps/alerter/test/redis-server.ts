import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free loopback port (redis-server cannot be told to pick one and report it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RedisServer {
  port: number;
  /** The server's working directory (AOF, certificates a test puts there); removed by `close`. */
  dir: string;
  /** Starts it (again) on the same port, with the same data if it was stopped with SIGTERM. */
  start(): Promise<void>;
  /** Stops it: SIGTERM writes its append-only file first, SIGKILL loses what was not yet written. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP/SIGCONT: connections stay open and unanswered, as across a network partition. */
  pause(): void;
  resume(): void;
  /** Kills it if it runs and removes its directory. */
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A failed assertion must not leave a server behind holding its port.
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/**
 * A redis-server of the test's own on loopback, in a temporary directory with an fsync'd
 * append-only file, so a test can stop and restart it (or pause it) without touching the shared one.
 * `args(port, dir)` adds options (TLS: `--port 0 --tls-port <port> …`).
 */
export async function startRedisServer(args: (port: number, dir: string) => string[] = () => []): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "upfleet-redis-"));
  let child: ChildProcess | undefined;

  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill("SIGCONT");
    const exited = once(running, "exit");
    running.kill(signal);
    await exited;
    live.delete(running);
  };
  const start = async () => {
    const started = spawn(
      "redis-server",
      [
        "--bind",
        "127.0.0.1",
        "--port",
        String(port),
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        ...args(port, dir),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    live.add(started);
    child = started;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) resolve();
      };
      started.stdout?.on("data", onData);
      started.stderr?.on("data", onData);
      started.once("exit", (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
      setTimeout(() => reject(new Error(`redis-server not ready within 10 s:\n${output}`)), 10_000).unref();
    }).catch(async (error: unknown) => {
      await stop("SIGKILL");
      throw error;
    });
  };
  await start();
  return {
    port,
    dir,
    start,
    stop,
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    async close() {
      await stop("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}
