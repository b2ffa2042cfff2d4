import type { LookupAddress } from "node:dns";
import { ValidationError } from "@upfleet/errors";
import {
  BlockedAddressError,
  createOutboundGuard,
  hostNameProblem,
  type InternalNames,
  type Resolver,
} from "@upfleet/outbound";
import { type ChannelConfig, urlFields } from "./config.ts";

export interface UrlPolicyOptions {
  /** OUTBOUND_ALLOW_CIDRS: non-public ranges channels may point at anyway. */
  allowCidrs: string[];
  /** INTERNAL_DNS_SUFFIXES / INTERNAL_DNS_ALLOW_SUFFIXES, as the senders' guard applies them; built-ins by default. */
  internalNames?: InternalNames;
  /** Defaults to the system resolver. */
  resolver?: Resolver;
  /** How long a write waits for DNS before accepting the name (the sender re-checks anyway). */
  lookupTimeoutMs?: number;
}

/** Why a URL may not be written (its host is internal, or is or resolves to a non-public address), or null. */
export type UrlCheck = (url: string) => Promise<string | null>;

const ALLOW_HINT = "unless the deployment allows it in OUTBOUND_ALLOW_CIDRS";
const NAME_HINT = "unless the deployment opens it in INTERNAL_DNS_ALLOW_SUFFIXES";

/**
 * The write-time half of the SSRF rule: an internal name (single-label, `.internal`, `.local`…), an
 * address literal or a name resolving now to a loopback, private, link-local… address is refused. A
 * name that does not resolve (yet) is accepted: DNS can change after the write anyway, and the sender's
 * guard decides on the address it connects to. What a name resolves to is never told, only that it is
 * not public.
 */
export function createUrlCheck(options: UrlPolicyOptions): UrlCheck {
  const guard = createOutboundGuard({
    allowCidrs: options.allowCidrs,
    ...(options.internalNames ? { internalNames: options.internalNames } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  const timeoutMs = options.lookupTimeoutMs ?? 3_000;

  const resolve = (host: string) =>
    new Promise<Error | null>((settle) => {
      const timer = setTimeout(() => settle(null), timeoutMs);
      guard.lookup(host, { all: true }, (error: Error | null, _addresses: string | LookupAddress[]) => {
        clearTimeout(timer);
        settle(error);
      });
    });

  return async (url) => {
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, "$1");
    const problem = hostNameProblem(host, { ipLiterals: true });
    if (problem) return `its host ${problem}`;
    if (guard.isInternalName(host)) {
      return `${host} is an internal name (single-label or under an internal suffix), refused ${NAME_HINT}`;
    }
    try {
      guard.assertLiteralAllowed(host);
    } catch (error) {
      if (error instanceof BlockedAddressError) return `${host} is a ${error.reason} address, refused ${ALLOW_HINT}`;
      throw error;
    }
    if (guard.isAllowedAddress(host)) return null;
    const error = await resolve(host);
    if (error instanceof BlockedAddressError) {
      return `${host} resolves to a non-public address, refused ${ALLOW_HINT}`;
    }
    return null;
  };
}

/** Checks the URLs of a channel's config (those `only` picks, else all); the 400 names each refused field. */
export async function assertUrlsAllowed(
  check: UrlCheck,
  channel: ChannelConfig,
  only: (field: string) => boolean = () => true,
): Promise<void> {
  const problems = [];
  for (const { field, url } of urlFields(channel).filter(({ field }) => only(field))) {
    const reason = await check(url);
    if (reason) problems.push({ path: `config.${field}`, message: reason });
  }
  if (problems.length) throw new ValidationError(problems);
}
