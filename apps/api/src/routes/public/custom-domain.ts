import { NotFoundError } from "@upfleet/errors";
import { hostnameProblem } from "@upfleet/status-pages";
import type { RequestHandler } from "express";
import type { ApiDeps } from "../../deps.ts";
import { consumePublicLimit } from "./limit.ts";
import { apiHostname, htmlReply, publicPages } from "./site.ts";

/**
 * `GET /` on a host that is a published page's custom domain answers that page; on any other host
 * that could be one (an unverified claim, a domain nobody claimed) it is a 404, never the API's own
 * index. The API's own host and anything that cannot be a custom domain (an IP, `localhost`) pass
 * through without a lookup, and the lookups that are made are cached like the pages.
 */
export function customDomainPages(deps: ApiDeps): RequestHandler {
  const own = apiHostname(deps);
  return (req, res, next) => {
    if (req.path !== "/" || (req.method !== "GET" && req.method !== "HEAD")) return next();
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    if (host === own || hostnameProblem(host) !== null) return next();
    const site = publicPages(deps);
    consumePublicLimit(deps, req)
      .then(() => site.slugForDomain(host))
      .then(async (slug) => {
        if (slug === null) return next(new NotFoundError("Status page for this domain"));
        const reply = htmlReply(await site.view(slug));
        for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
        res.status(reply.status).type(reply.raw!.contentType).send(reply.raw!.content);
      })
      .catch(next);
  };
}
