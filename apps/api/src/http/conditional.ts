/** An entity tag's opaque part: `W/"x"` and `"x"` are the same tag under the weak comparison. */
const opaque = (tag: string) => tag.trim().replace(/^W\//, "");

/**
 * Whether a GET's `If-None-Match` names the representation's current `etag` (RFC 9110 §13.1.2, weak
 * comparison), so the answer is 304. Unlike Express's `req.fresh` this ignores the request's
 * `Cache-Control: no-cache`, which Node's fetch adds to every conditional request: the RFC has the
 * origin answer 304 whatever a cache was told, and our own SDK and CLI run on Node's fetch.
 */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const current = opaque(etag);
  return ifNoneMatch.split(",").some((tag) => opaque(tag) === current);
}
