import net from "node:net";
import { performance } from "node:perf_hooks";
import type { OutboundGuard } from "@upfleet/outbound";
import { failure } from "./classify.ts";
import { type ExecutorFactory, type RunContext, upOrDegraded } from "./executor.ts";
import type { CheckResult } from "./result.ts";
import type { TcpCheckSpec } from "./spec.ts";

/** A TCP check passes when the handshake completes; the connect time is the response time. */
export const createTcpExecutor: ExecutorFactory<"tcp"> = ({ guard }) => ({
  run: (spec, context) => runTcpCheck(spec, context, guard),
});

async function runTcpCheck(spec: TcpCheckSpec, context: RunContext, guard: OutboundGuard): Promise<CheckResult> {
  const host = spec.host.replace(/^\[(.*)\]$/, "$1");
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  let dnsMs: number | undefined;
  let socket: net.Socket | undefined;
  try {
    // net.connect skips `lookup` for IP literals, so those are judged here; an internal name fails here
    // too, as the guard's lookup would.
    guard.assertHostAllowed(host);
    context.signal.throwIfAborted();
    const connected = new Promise<number>((resolve, reject) => {
      const s = net.connect({ host, port: spec.port, lookup: guard.lookup });
      socket = s;
      s.once("lookup", (error) => {
        if (!error) dnsMs = since();
      });
      s.once("connect", () => resolve(since()));
      s.on("error", reject); // `on`: a second error after the first must not go uncaught
      context.signal.addEventListener("abort", () => reject(context.signal.reason), { once: true });
    });
    const connectedMs = await connected;
    const dns = dnsMs ?? 0;
    return {
      responseMs: connectedMs,
      httpStatus: null,
      timings: { dns, connect: connectedMs - dns, total: connectedMs },
      details: { ip: (socket as net.Socket | undefined)?.remoteAddress ?? null },
      ...upOrDegraded(connectedMs, spec.responseTimeThresholdMs),
    };
  } catch (error) {
    return failure(error, { timeoutMs: spec.timeoutMs, ...context });
  } finally {
    (socket as net.Socket | undefined)?.destroy();
  }
}
