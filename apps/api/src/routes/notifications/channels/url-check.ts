import { createUrlCheck, type UrlCheck } from "@upfleet/channels";
import type { ApiDeps } from "../../../deps.ts";

/**
 * The write-time SSRF check of channel URLs, opened by the deployment's OUTBOUND_ALLOW_CIDRS and
 * INTERNAL_DNS_ALLOW_SUFFIXES (its INTERNAL_DNS_SUFFIXES refused like `.internal`).
 */
export function channelUrlCheck(deps: ApiDeps): UrlCheck {
  return createUrlCheck({
    allowCidrs: deps.config.OUTBOUND_ALLOW_CIDRS,
    internalNames: deps.internalNames,
  });
}
