import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";

/** Which hops may say who the client is (`X-Forwarded-For`): Express's `trust proxy` function. */
export type TrustProxy = (address: string, hop: number) => boolean;

const TRUST_NONE: TrustProxy = () => false;

/**
 * TRUST_PROXY: empty or `false` trusts no proxy (the socket's address is the client's); a number
 * trusts that many hops in front of the API; otherwise a comma-separated list of addresses, CIDRs
 * and proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`) of the proxies to trust.
 */
export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim();
  if (value === "" || value === "false") return TRUST_NONE;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  const list = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // compile throws on an entry that is not an address, a CIDR or a known name: config names it.
  return proxyaddr.compile(list);
}

/** The client's address as the trusted proxies report it (the socket's when none is trusted). */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string | undefined {
  return proxyaddr(req, trust) || undefined;
}
