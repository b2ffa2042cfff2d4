import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { constants } from "node:os";
import { UpfleetError } from "@upfleet/sdk";
import type { Command } from "commander";
import type { Context } from "../context.ts";
import { describeError } from "../exit-codes.ts";
import { heartbeatPinger, type PingKind, type PingOptions } from "../ping.ts";
import { OutputTail } from "../tail.ts";

/** Under the API's 10 KiB per ping body, counted in bytes. */
const TAIL_BYTES = 10_000;
/** Signals a cron daemon, `timeout` or a terminal send: passed on to the command, which decides when it ends. */
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

interface Outcome {
  code: number;
  tail: string;
  /** Stops passing signals on (to a command that has exited). */
  release(): void;
}

/** Runs the command with its output passed through (and its tail kept); resolves to its exit code. */
function runCommand(ctx: Context, argv: string[]): Promise<Outcome> {
  const tail = new OutputTail(TAIL_BYTES);
  // stdin is inherited as is; stdout and stderr go through us to keep their tail.
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ["inherit", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => {
    ctx.io.stdout.write(chunk);
    tail.push(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    ctx.io.stderr.write(chunk);
    tail.push(chunk);
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  // Signals stay ours until the caller has reported the exit: a second SIGTERM cannot cut that ping short.
  const release = () => {
    for (const signal of FORWARDED) process.off(signal, forward);
  };
  return new Promise((resolve) => {
    const finish = (code: number) => resolve({ code, tail: tail.text(), release });
    child.on("error", (error) => {
      // The command could not start (not found, not executable): the shell's 127, told to the job's log too.
      const message = `upfleet: cannot run ${argv[0]}: ${error.message}\n`;
      ctx.io.stderr.write(message);
      tail.push(Buffer.from(message));
      finish(127);
    });
    // A command killed by a signal reports 128 + its number, as a shell does.
    child.on("close", (code, signal) => finish(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

export function register(program: Command, ctx: Context): void {
  program
    .command("run <command...>")
    .description(
      "run a cron job under a heartbeat monitor: ping /start, run the command (output passed through, its last 10 KB kept), then ping success or its exit code with that output; exits with the command's code, whatever the pings do",
    )
    .requiredOption("--heartbeat <token>", "the heartbeat monitor's token or heartbeat_url")
    .usage("--heartbeat <token> -- <command> [args...]")
    .action(async (argv: string[], options: { heartbeat: string }, command: Command) => {
      const send = heartbeatPinger(options.heartbeat, await ctx.apiUrl(command));
      const rid = randomUUID();
      // A ping that fails is told on stderr and changes nothing else: the job's own result comes first.
      const ping = (kind: PingKind, details: PingOptions) =>
        send(kind, details).catch((error: unknown) => {
          const id = error instanceof UpfleetError && error.requestId ? ` (request_id ${error.requestId})` : "";
          const what = kind === "start" ? "/start" : `/${kind === "success" ? "" : kind}`;
          ctx.note(`upfleet: warning: heartbeat ping ${what} failed: ${describeError(error)}${id}`);
        });
      await ping("start", { rid });
      const { code, tail, release } = await runCommand(ctx, argv);
      await ping(code === 0 ? "success" : code, { rid, body: tail });
      release();
      ctx.exitCode = code;
    });
}
