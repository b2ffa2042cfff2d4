import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { internalNamesOf } from "@upfleet/outbound";
import { Loop } from "@upfleet/runtime";
import { checkPendingClaims, createTxtLookup, recheckVerifiedClaims } from "@upfleet/status-pages";
import type { AlerterConfig } from "./config.ts";

/**
 * Looks up unverified custom domain claims again every DOMAIN_VERIFY_INTERVAL_MS, so a page goes live
 * once its owner publishes the TXT record even if no one calls verify-domain, and verified ones once
 * a day, so a domain that changed hands is released. Only the scheduler lease holder does it: one
 * alerter's DNS queries are enough.
 */
export function startDomainClaims(config: AlerterConfig, deps: { db: Db; logger: Logger; isLeader(): boolean }): Loop {
  const logger = deps.logger.child({ component: "domain-claims" });
  const internal = internalNamesOf(config);
  const rules = {
    lookup: createTxtLookup(config.CHECK_DNS_RESOLVERS),
    isInternal: (d: string) => internal.isInternal(d),
  };
  const loop = new Loop(
    async () => {
      if (!deps.isLeader()) return;
      const verified = await checkPendingClaims(deps.db, rules);
      if (verified > 0) logger.info({ verified }, "custom domains verified");
      const lapsed = await recheckVerifiedClaims(deps.db, rules);
      if (lapsed > 0)
        logger.warn({ lapsed }, "custom domains whose record has been gone for 72 h are no longer verified");
    },
    {
      everyMs: config.DOMAIN_VERIFY_INTERVAL_MS,
      onError: (error) => logger.warn({ err: error }, "custom domain check failed; next attempt on schedule"),
    },
  );
  loop.start();
  return loop;
}
