import { execFile } from "node:child_process";
import { isIP, type LookupFunction } from "node:net";
import type { OutboundGuard } from "@upfleet/outbound";
import { failure } from "./classify.ts";
import { type ExecutorFactory, type RunContext, upOrDegraded } from "./executor.ts";
import { type PingSummary, parsePingOutput } from "./ping-output.ts";
import type { CheckResult } from "./result.ts";
import type { PingCheckSpec } from "./spec.ts";

/** Echo requests per check, 200 ms apart (the shortest interval iputils allows without privileges). */
const PROBES = 3;
const PROBES_MS = (PROBES - 1) * 200;
/** Time left after ping's last wait for it to print its summary and exit. */
const SUMMARY_MARGIN_MS = 150;

/**
 * A ping check runs the system's iputils `ping` (unprivileged ICMP sockets, or its capability) against
 * the literal address the guard approved, never the name: ping would resolve it again, and a second
 * answer could point somewhere the guard never saw. Up when any echo reply comes back.
 */
export const createPingExecutor: ExecutorFactory<"ping"> = ({ guard }) => ({
  run: (spec, context) => runPingCheck(spec, context, guard),
});

async function runPingCheck(spec: PingCheckSpec, context: RunContext, guard: OutboundGuard): Promise<CheckResult> {
  const host = spec.host.replace(/^\[(.*)\]$/, "$1");
  try {
    guard.assertHostAllowed(host);
    const address = isIP(host) ? { address: host, family: isIP(host) } : await resolve(guard.lookup, host, context);
    guard.assertLiteralAllowed(address.address);
    context.signal.throwIfAborted();
    const run = await ping(address, spec.timeoutMs, context.signal);
    const summary = parsePingOutput(run.stdout);
    if (!summary) return failedToRun(run, context, spec.timeoutMs);
    return judge(summary, address.address, spec);
  } catch (error) {
    return failure(error, { timeoutMs: spec.timeoutMs, ...context });
  }
}

function resolve(lookup: LookupFunction, host: string, context: RunContext) {
  return new Promise<{ address: string; family: number }>((done, reject) => {
    context.signal.addEventListener("abort", () => reject(context.signal.reason), { once: true });
    lookup(host, {}, (error, address, family) => {
      if (error) reject(error);
      else done({ address: address as string, family: family ?? isIP(address as string) });
    });
  });
}

interface PingRun {
  stdout: string;
  stderr: string;
  /** Why ping did not exit 0: its exit code, or a spawn error (ENOENT when there is no ping). */
  error: (Error & { code?: unknown }) | null;
}

function ping(target: { address: string; family: number }, timeoutMs: number, signal: AbortSignal) {
  // ping sends its probes over PROBES_MS, then waits -W seconds for the last reply and prints its
  // summary (router errors included) before the runner's deadline; the signal kills it should it not.
  const waitSeconds = Math.max(0.1, (timeoutMs - PROBES_MS - SUMMARY_MARGIN_MS) / 1000).toFixed(3);
  const family = target.family === 6 ? "-6" : "-4";
  const args = ["-n", family, "-c", String(PROBES), "-i", "0.2", "-W", waitSeconds, target.address];
  return new Promise<PingRun>((done) => {
    execFile("ping", args, { signal, env: { PATH: process.env.PATH, LC_ALL: "C" } }, (error, stdout, stderr) =>
      done({ stdout, stderr, error }),
    );
  });
}

function judge(summary: PingSummary, ip: string, spec: PingCheckSpec): CheckResult {
  const details = {
    ip,
    packetsSent: summary.transmitted,
    packetsReceived: summary.received,
    lossPercent: summary.lossPercent,
    ...(summary.rtt && { rttMinMs: summary.rtt.min, rttAvgMs: summary.rtt.avg, rttMaxMs: summary.rtt.max }),
  };
  if (summary.rtt && summary.received > 0) {
    // Whole milliseconds like every check's response time (an integer column); details keep the precision.
    const responseMs = Math.round(summary.rtt.avg);
    return {
      responseMs,
      httpStatus: null,
      timings: { total: responseMs },
      details,
      ...upOrDegraded(responseMs, spec.responseTimeThresholdMs),
    };
  }
  const down = { status: "down", responseMs: null, httpStatus: null, timings: {}, details } as const;
  if (summary.icmpError)
    return { ...down, error: "host_unreachable", message: `${ip} is unreachable: ${summary.icmpError}` };
  return { ...down, error: "timeout", message: `No echo reply from ${ip} within ${spec.timeoutMs} ms` };
}

const NO_PING = "This worker has no ping command (iputils-ping), so it cannot run ping checks";

/** Ping printed no summary: killed at the deadline, missing, not permitted, or no route at all. */
function failedToRun(run: PingRun, context: RunContext, timeoutMs: number): CheckResult {
  if (run.error?.code === "ENOENT") return { ...failure(run.error, { timeoutMs, ...context }), message: NO_PING };
  if (context.signal.aborted || run.error?.code !== 2)
    return failure(run.error ?? run.stderr, { timeoutMs, ...context });
  const said = run.stderr.trim().split("\n").at(-1) ?? "";
  const unreachable = /unreachable/i.test(said);
  return {
    status: "down",
    responseMs: null,
    httpStatus: null,
    error: unreachable ? "host_unreachable" : "unknown",
    message: said ? `ping: ${said.replace(/^ping: /, "")}` : "ping failed without saying why",
    timings: {},
    details: {},
  };
}

/**
 * Why this machine cannot run ping checks (no ping command, no ICMP socket permitted), or null when it
 * can: one echo to loopback, for the worker to say at start rather than on every ping check it takes.
 */
export async function icmpProblem(): Promise<string | null> {
  const run = await ping({ address: "127.0.0.1", family: 4 }, 2_000, AbortSignal.timeout(2_000));
  if (!run.error) return null;
  if (run.error.code === "ENOENT") return NO_PING;
  return run.stderr.trim().split("\n").at(-1) || run.error.message;
}
