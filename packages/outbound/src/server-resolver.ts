import { Resolver as DnsResolver } from "node:dns/promises";
import { isIP } from "node:net";
import type { Resolver } from "./guard.ts";

/** Per query to one server; c-ares tries each server in turn, so a dead first server costs this much. */
const QUERY_TIMEOUT_MS = 3_000;

type Family = 4 | 6;

function familiesOf(family: unknown): Family[] {
  if (family === 4 || family === "IPv4") return [4];
  if (family === 6 || family === "IPv6") return [6];
  return [4, 6];
}

/**
 * A dns.lookup-shaped resolver asking `servers` (CHECK_DNS_RESOLVERS, `ip:port` / `[ip]:port`) for A and
 * AAAA records instead of the system's getaddrinfo: the operator decides which resolvers checks use, so
 * the deployment's own (which know its internal zones, and read /etc/hosts) are never asked for a
 * tenant's name. One c-ares channel serves every lookup.
 */
export function createServerResolver(servers: readonly string[]): Resolver {
  const resolver = new DnsResolver({ timeout: QUERY_TIMEOUT_MS, tries: 1 });
  resolver.setServers([...servers]);
  return (hostname, options, callback) => {
    const literal = isIP(hostname);
    if (literal) return callback(null, [{ address: hostname, family: literal }]);
    const families = familiesOf(options.family);
    Promise.allSettled(
      families.map((family) => (family === 4 ? resolver.resolve4(hostname) : resolver.resolve6(hostname))),
    )
      .then((outcomes) => {
        const addresses = outcomes.flatMap((outcome, i) =>
          outcome.status === "fulfilled" ? outcome.value.map((address) => ({ address, family: families[i]! })) : [],
        );
        if (addresses.length > 0) return callback(null, addresses);
        // No address in any family: the first failure says why (NXDOMAIN, timeout, refused…).
        const failed = outcomes.find((outcome) => outcome.status === "rejected");
        const error =
          (failed?.reason as NodeJS.ErrnoException | undefined) ??
          Object.assign(new Error(`queryA ENODATA ${hostname}`), { code: "ENODATA", hostname });
        callback(error, []);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, []));
  };
}
