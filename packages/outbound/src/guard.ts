import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { type Cidr, inCidr, nonPublicReason, parseCidr, parseIp } from "./address.ts";
import { createInternalNames, type InternalNames } from "./internal-names.ts";
import { createServerResolver } from "./server-resolver.ts";

/**
 * A target refused by the SSRF guard. `code` is "EBLOCKED" so it survives wrapping by HTTP clients.
 * The message goes to check history and delivery logs that tenants read, so it names only what the
 * tenant wrote: an address literal and its kind, or a name and that it resolves to a non-public address
 * (never which one: that would map the operator's network). `address` and `reason` are for the
 * operator's own logs.
 */
export class BlockedAddressError extends Error {
  readonly code = "EBLOCKED";
  constructor(
    readonly host: string,
    /** What `host` resolved to; null when the name itself is refused (internal). */
    readonly address: string | null,
    readonly reason: string,
  ) {
    super(
      address === null
        ? `Refusing to connect to ${host}: it is an internal name (single-label or under an internal suffix)`
        : host === address
          ? `Refusing to connect to ${address} (${reason} address)`
          : `Refusing to connect to ${host}: it resolves to a non-public address`,
    );
    this.name = "BlockedAddressError";
  }
}

/** dns.lookup's callback form, so tests can swap in a resolver that lies (DNS rebinding). */
export type Resolver = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

export interface OutboundGuardOptions {
  /** CIDRs user targets may reach although they are not public (OUTBOUND_ALLOW_CIDRS). */
  allowCidrs: string[];
  /** Names refused before any lookup (INTERNAL_DNS_SUFFIXES, INTERNAL_DNS_ALLOW_SUFFIXES); built-ins only by default. */
  internalNames?: InternalNames;
  /**
   * CHECK_DNS_RESOLVERS as `ip:port` / `[ip]:port`: names are resolved by asking these servers instead of
   * the system's (dns.lookup). Ignored when `resolver` is given.
   */
  dnsServers?: readonly string[];
  /** Tests: a resolver of their own. Defaults to `dnsServers`, else the system resolver (dns.lookup). */
  resolver?: Resolver;
}

export interface OutboundGuard {
  /** True when a connection to this IP literal may be made. Anything that is not an IP is refused. */
  isAllowedAddress(ip: string): boolean;
  /** Why an IP is refused, or null when allowed. */
  refusalReason(ip: string): string | null;
  /**
   * A dns.lookup replacement for the `lookup` option of net.connect, tls.connect and http(s).Agent. It
   * resolves with the system resolver, then refuses (BlockedAddressError) when the address handed back —
   * or, with `all: true`, any of them — is not allowed. Sockets connect to what it returns, so the check
   * is on the address actually used and a rebinding DNS answer cannot slip past it.
   */
  lookup: LookupFunction;
  /** Throws BlockedAddressError when `host` is an IP literal that is not allowed. Names pass (see lookup). */
  assertLiteralAllowed(host: string): void;
  /**
   * Throws BlockedAddressError when `host` is an IP literal that is not allowed or an internal name; a
   * name that passes is still judged by the address it resolves to (see lookup).
   */
  assertHostAllowed(host: string): void;
  /** True when `host` is a name the guard refuses before resolving it (single-label, internal suffix). */
  isInternalName(host: string): boolean;
  /** The servers checks resolve through (CHECK_DNS_RESOLVERS), or null for the system's resolvers. */
  readonly dnsServers: readonly string[] | null;
}

/**
 * Splits an OUTBOUND_ALLOW_CIDRS value ("127.0.0.0/8, ::1/128") into normalised CIDRs.
 * Throws naming the first invalid entry, so a typo stops the process instead of silently opening nothing.
 */
export function parseCidrList(text: string): string[] {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    const cidr = parseCidr(entry);
    if (!cidr)
      throw new Error(`Invalid CIDR "${entry}": expected an address with a prefix, e.g. 10.0.0.0/8 or fd00::/8`);
    return `${cidr[0].toString()}/${cidr[1]}`;
  });
}

const systemResolver: Resolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);

export function createOutboundGuard(options: OutboundGuardOptions): OutboundGuard {
  const allowed: Cidr[] = options.allowCidrs.map((text) => {
    const cidr = parseCidr(text.trim());
    if (!cidr) throw new Error(`Invalid CIDR "${text}" in the outbound allow-list`);
    return cidr;
  });
  const internalNames = options.internalNames ?? createInternalNames();
  const dnsServers = options.dnsServers?.length ? [...options.dnsServers] : null;
  const resolver = options.resolver ?? (dnsServers ? createServerResolver(dnsServers) : systemResolver);

  const refusalReason = (ip: string): string | null => {
    const address = parseIp(ip);
    if (!address) return "not an IP";
    const isOpened = (a: typeof address) => allowed.some((cidr) => inCidr(a, cidr));
    if (isOpened(address)) return null;
    // IPv4-mapped and the other embedding forms are judged on their IPv4, allow-list included.
    return nonPublicReason(address, isOpened);
  };

  const lookup = ((hostname: string, rawOptions: unknown, rawCallback?: unknown) => {
    // dns.lookup also accepts (hostname, callback) and (hostname, family, callback).
    const callback = (typeof rawOptions === "function" ? rawOptions : rawCallback) as (
      err: NodeJS.ErrnoException | null,
      address?: string | dns.LookupAddress[],
      family?: number,
    ) => void;
    const lookupOptions: dns.LookupOptions =
      typeof rawOptions === "number"
        ? { family: rawOptions }
        : typeof rawOptions === "object" && rawOptions !== null
          ? (rawOptions as dns.LookupOptions)
          : {};
    // Refused before asking anyone: the query itself would tell the resolver (or its logs) the name, and
    // the answer would tell the tenant what the operator's network calls it.
    if (internalNames.isInternal(hostname)) return callback(new BlockedAddressError(hostname, null, "internal name"));
    resolver(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const chosen = lookupOptions.all ? addresses : addresses.slice(0, 1);
      for (const { address } of chosen) {
        const reason = refusalReason(address);
        if (reason) return callback(new BlockedAddressError(hostname, address, reason));
      }
      if (lookupOptions.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }));
      callback(null, first.address, first.family);
    });
  }) as LookupFunction;

  const assertLiteralAllowed = (host: string) => {
    if (!parseIp(host)) return;
    const reason = refusalReason(host);
    if (reason) {
      const bare = host.replace(/^\[(.*)\]$/, "$1");
      throw new BlockedAddressError(bare, bare, reason);
    }
  };

  return {
    isAllowedAddress: (ip) => refusalReason(ip) === null,
    refusalReason,
    lookup,
    assertLiteralAllowed,
    assertHostAllowed(host) {
      assertLiteralAllowed(host);
      if (internalNames.isInternal(host)) throw new BlockedAddressError(host, null, "internal name");
    },
    isInternalName: (host) => internalNames.isInternal(host),
    dnsServers,
  };
}
