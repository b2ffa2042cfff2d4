import {
  CONTENT_SECURITY_POLICY,
  PublicPages,
  type PublicView,
  renderNotFound,
  renderPage,
} from "@upfleet/status-pages";
import type { ApiDeps } from "../../deps.ts";
import type { Reply } from "../../http/route.ts";

/** One cache per API (tests start several in a process), made on first use. */
const sites = new WeakMap<ApiDeps, PublicPages>();

export function publicPages(deps: ApiDeps): PublicPages {
  let site = sites.get(deps);
  if (!site) {
    site = new PublicPages(deps.db);
    sites.set(deps, site);
  }
  return site;
}

/** The API's own hostname: never a status page's custom domain. */
export function apiHostname(deps: ApiDeps): string {
  return new URL(deps.config.PUBLIC_URL).hostname.toLowerCase();
}

/** What a cache in front (a CDN, a browser) may keep: a page for 30 s, a badge for 5 min. */
export const PAGE_CACHE_CONTROL = "public, max-age=30";
export const BADGE_CACHE_CONTROL = "public, max-age=300";

const HTML = "text/html; charset=utf-8";

/** The HTML of a published page (or the small 404 page): strict CSP, no sniffing, cacheable when found. */
export function htmlReply(view: PublicView | null): Reply {
  const headers = { "Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff" };
  if (!view) return { status: 404, headers, raw: { contentType: HTML, content: renderNotFound() } };
  return {
    status: 200,
    headers: { ...headers, "Cache-Control": PAGE_CACHE_CONTROL },
    raw: { contentType: HTML, content: renderPage(view) },
  };
}
