import { parsedWith } from "@upfleet/config";
import { parseCidrList } from "./guard.ts";
import { createInternalNames, type InternalNames, parseSuffixList } from "./internal-names.ts";

/**
 * What every process that reaches user-given addresses reads (checks in the worker, notification
 * receivers and custom domains in the alerter and the API), spread into its own schema.
 */
export const outboundEnv = {
  /** Non-public ranges that may be reached anyway (a LAN; loopback in tests); none by default. */
  OUTBOUND_ALLOW_CIDRS: parsedWith(parseCidrList, ""),
  /** The deployment's own internal DNS zones, refused like `.internal` and `.local`. */
  INTERNAL_DNS_SUFFIXES: parsedWith(parseSuffixList, ""),
  /** Internal names that may be reached anyway (e.g. `localhost` in tests); none by default. */
  INTERNAL_DNS_ALLOW_SUFFIXES: parsedWith(parseSuffixList, ""),
};

export interface OutboundEnv {
  OUTBOUND_ALLOW_CIDRS: string[];
  INTERNAL_DNS_SUFFIXES: string[];
  INTERNAL_DNS_ALLOW_SUFFIXES: string[];
}

/** The internal names the environment refuses and opens. */
export function internalNamesOf(env: OutboundEnv): InternalNames {
  return createInternalNames({
    extraSuffixes: env.INTERNAL_DNS_SUFFIXES,
    allowSuffixes: env.INTERNAL_DNS_ALLOW_SUFFIXES,
  });
}
