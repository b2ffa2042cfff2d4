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
    // An internal name is never asked for: the answer would map the operator's zones (and the query
    // itself reaches their resolvers when the monitor names none).
    guard.assertHostAllowed(spec.host);
    if (spec.resolver !== null) {
      if (!server) throw Object.assign(new Error(`Invalid resolver "${spec.resolver}"`), { code: "EINVAL" });
      // The user picks the server the query goes to, so it is judged like any other target. The system's
      // resolvers (or CHECK_DNS_RESOLVERS) are the operator's and are not.
      guard.assertLiteralAllowed(server.ip);
      resolver.setServers([isIP(server.ip) === 6 ? `[${server.ip}]:${server.port}` : `${server.ip}:${server.port}`]);
    } else if (guard.dnsServers) {
      resolver.setServers([...guard.dnsServers]);
    }
    context.signal.throwIfAborted();
    context.signal.addEventListener("abort", onAbort, { once: true });
    const answered = await lookup(resolver, spec.host, spec.recordType);
    const { records, withheld } = screen(spec, answered, guard);
    const responseMs = Math.round(performance.now() - started);
    const base = {
      responseMs,
      httpStatus: null,
      timings: { total: responseMs },
      details: {
        ...details,
        records: records.slice(0, MAX_RECORDS_SHOWN),
        recordCount: records.length,
        ...(withheld ? { withheldRecords: withheld } : {}),
      },
    };
    if (records.length === 0) {
      return { ...base, ...noRecords(spec, withheld ? "only withheld records, naming non-public targets" : "no data") };
    }
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

/**
 * What a check may tell of the answer (API.md "Outbound safety"). A/AAAA records with a non-public
 * address, and CNAME, NS or MX records pointing at one or at an internal name, make the whole check
 * blocked_address with no record shown: the name leads inside the network, as an http check of it would.
 * TXT is free text: a record quoting a non-public address or an internal name (an SPF `ip4:10.…`) is
 * withheld, neither shown nor matched, and the others stand.
 */
function screen(
  spec: DnsCheckSpec,
  records: DnsRecord[],
  guard: OutboundGuard,
): { records: DnsRecord[]; withheld: number } {
  if (spec.recordType === "TXT") {
    const shown = records.filter((record) => !quotesInside(record as string, guard));
    return { records: shown, withheld: records.length - shown.length };
  }
  for (const record of records) {
    const target = typeof record === "string" ? record : record.exchange;
    // A null MX ("." — the domain takes no mail) points nowhere.
    if (spec.recordType === "MX" && target.replace(/\.$/, "") === "") continue;
    if (pointsInside(target, guard)) {
      const what =
        spec.recordType === "A" || spec.recordType === "AAAA"
          ? "a non-public address"
          : "a non-public address or an internal name";
      throw Object.assign(new Error(`${spec.host} has ${spec.recordType} records pointing to ${what}`), {
        code: "EBLOCKED",
      });
    }
  }
  return { records, withheld: 0 };
}

/** A non-public address, or a name the guard refuses as internal. */
function pointsInside(target: string, guard: OutboundGuard): boolean {
  return isIP(target) ? !guard.isAllowedAddress(target) : guard.isInternalName(target);
}

/** Words of a TXT record (a `key:` or `key=` before them aside) that are addresses or dotted internal names. */
function quotesInside(text: string, guard: OutboundGuard): boolean {
  return text.split(/[\s,;"'()<>]+/).some((word) =>
    [word, word.replace(/^[a-z0-9-]+[:=]/i, "")].some((candidate) => {
      const bare = candidate.replace(/\/\d{1,3}$/, "").replace(/\.$/, "");
      if (isIP(bare)) return !guard.isAllowedAddress(bare);
      return bare.includes(".") && /^[a-z0-9._-]+$/i.test(bare) && guard.isInternalName(bare);
    }),
  );
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
