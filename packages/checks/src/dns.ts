import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { performance } from "node:perf_hooks";
import type { OutboundGuard } from "@upfleet/outbound";
import { errorCode, failure } from "./classify.ts";
import type { ExecutorFactory, RunContext } from "./executor.ts";
import { parseResolverAddress } from "./resolver.ts";
import type { CheckResult } from "./result.ts";
import type { DnsCheckSpec, DnsRecordType } from "./spec.ts";

/** Records kept in a result's details: a name with hundreds of TXT records must not bloat check history. */
const MAX_RECORDS_SHOWN = 50;

type DnsRecord = string | { priority: number; exchange: string };

/**
 * A DNS check asks for one record type and is up when at least one record comes back (and, with an
 * expected value, when one of them equals it); the lookup's time is the response time.
 */
export const createDnsExecutor: ExecutorFactory<"dns"> = ({ guard }) => ({
  run: (spec, context) => runDnsCheck(spec, context, guard),
});

async function runDnsCheck(spec: DnsCheckSpec, context: RunContext, guard: OutboundGuard): Promise<CheckResult> {
  // tries 1: the monitor's timeout is the whole budget, not one attempt of several.
  const resolver = new Resolver({ timeout: spec.timeoutMs, tries: 1 });
  const server = spec.resolver === null ? null : parseResolverAddress(spec.resolver);
  const details = { recordType: spec.recordType, resolver: spec.resolver ?? "system" };
  const onAbort = () => resolver.cancel();
  const started = performance.now();
  try {
    if (spec.resolver !== null) {
      if (!server) throw Object.assign(new Error(`Invalid resolver "${spec.resolver}"`), { code: "EINVAL" });
      // The user picks the server the query goes to, so it is judged like any other target. The system's
      // resolvers are the operator's and are not.
      guard.assertLiteralAllowed(server.ip);
      resolver.setServers([isIP(server.ip) === 6 ? `[${server.ip}]:${server.port}` : `${server.ip}:${server.port}`]);
    }
    context.signal.throwIfAborted();
    context.signal.addEventListener("abort", onAbort, { once: true });
    const records = await lookup(resolver, spec.host, spec.recordType);
    // Addresses are what a check would tell of the network behind it: a name that resolves inside it
    // is refused like a target there (API.md "Outbound safety"), and its records are not shown.
    if (spec.recordType === "A" || spec.recordType === "AAAA") {
      for (const address of records as string[]) guard.assertLiteralAllowed(address);
    }
    const responseMs = Math.round(performance.now() - started);
    const base = {
      responseMs,
      httpStatus: null,
      timings: { total: responseMs },
      details: { ...details, records: records.slice(0, MAX_RECORDS_SHOWN), recordCount: records.length },
    };
    if (records.length === 0) return { ...base, ...noRecords(spec, "no data") };
    if (
      spec.expectedValue !== null &&
      !records.some((record) => matches(spec.recordType, record, spec.expectedValue!))
    ) {
      return {
        ...base,
        status: "down",
        error: "dns_value_mismatch",
        message: `No ${spec.recordType} record of ${spec.host} equals "${spec.expectedValue}"`,
      };
    }
    return { ...base, status: "up", error: null, message: null };
  } catch (error) {
    const code = errorCode(error);
    if (!context.signal.aborted && (code === "ENOTFOUND" || code === "ENODATA")) {
      return {
        responseMs: Math.round(performance.now() - started),
        httpStatus: null,
        timings: {},
        details: { ...details, code, records: [] },
        ...noRecords(spec, code === "ENOTFOUND" ? "NXDOMAIN" : "no data"),
      };
    }
    // c-ares' own timeout is this check's timeout, not a resolver failure behind some other check.
    const timedOut = code === "ETIMEOUT" ? { code: "ETIMEDOUT", cause: error } : error;
    return failure(timedOut, { timeoutMs: spec.timeoutMs, ...context }, { details });
  } finally {
    context.signal.removeEventListener("abort", onAbort);
  }
}

function noRecords(spec: DnsCheckSpec, why: string): Pick<CheckResult, "status" | "error" | "message"> {
  return {
    status: "down",
    error: "dns_no_records",
    message: `No ${spec.recordType} records for ${spec.host} (${why})`,
  };
}

async function lookup(resolver: Resolver, host: string, type: DnsRecordType): Promise<DnsRecord[]> {
  switch (type) {
    case "A":
      return resolver.resolve4(host);
    case "AAAA":
      return resolver.resolve6(host);
    case "MX":
      return (await resolver.resolveMx(host)).map(({ priority, exchange }) => ({ priority, exchange }));
    case "TXT":
      // A TXT record longer than 255 bytes arrives in chunks; its value is their concatenation.
      return (await resolver.resolveTxt(host)).map((chunks) => chunks.join(""));
    case "CNAME":
      return resolver.resolveCname(host);
    case "NS":
      return resolver.resolveNs(host);
  }
}

/** Names compare without case or trailing dot; addresses without case; TXT exactly. MX compares the exchange. */
function matches(type: DnsRecordType, record: DnsRecord, expected: string): boolean {
  if (type === "TXT") return record === expected;
  const value = typeof record === "string" ? record : record.exchange;
  const normalise = (name: string) => name.trim().toLowerCase().replace(/\.$/, "");
  return normalise(value) === normalise(expected);
}
