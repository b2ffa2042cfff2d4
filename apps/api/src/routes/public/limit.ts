import type { Request, RequestHandler } from "express";
import { clientIpBucket } from "../../auth/client-ip.ts";
import type { ApiDeps } from "../../deps.ts";

/**
 * What anyone may ask for without a credential and what costs the server a page build or a file:
 * `/status/<slug>` (HTML and badges), `/api/v1/public/…` and export download links. The custom
 * domain `/` is limited where it is served (custom-domain.ts).
 */
const PUBLIC_PATHS = /^(?:\/status\/|\/api\/v1\/public\/|\/api\/v1\/exports\/[^/]+\/download\/?$)/;

/**
 * Counts one public request against its client IP's minute (IPv6 by /64), shared by every API
 * instance through Redis; past PUBLIC_RATE_LIMIT_PER_MINUTE it throws a 429 with Retry-After. Never
 * an API key's budget: public requests have none.
 */
export function consumePublicLimit(deps: ApiDeps, req: Request): Promise<void> {
  return deps.rateLimiter.consumeMinutes([
    { subject: `public:${clientIpBucket(req)}`, perMinute: deps.config.PUBLIC_RATE_LIMIT_PER_MINUTE },
  ]);
}

/** The per-IP limit of the public paths, in front of their routes (a 404 for a bad slug counts too). */
export function publicRateLimit(deps: ApiDeps): RequestHandler {
  return (req, _res, next) => {
    if (!PUBLIC_PATHS.test(req.path)) return next();
    consumePublicLimit(deps, req).then(() => next(), next);
  };
}
