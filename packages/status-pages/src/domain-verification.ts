import { randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { type Db, isUniqueViolation } from "@upfleet/db";
import { ConflictError, NotFoundError } from "@upfleet/errors";

/** Per query; a verification is a person waiting on a request. */
const QUERY_TIMEOUT_MS = 3_000;
const HOUR_MS = 3_600_000;
/** How often a verified domain's record is looked up again. */
const RECHECK_MS = 24 * HOUR_MS;
/**
 * How long a verified domain's record may be missing before the claim lapses: long enough that a DNS
 * outage or a record being moved never takes a page off its domain, short enough that a domain which
 * changed hands is released to its new owner within days.
 */
const LAPSE_MS = 72 * HOUR_MS;

/** The TXT strings at a name (each record's chunks joined), or none when it has no such record. */
export type TxtLookup = (name: string) => Promise<string[]>;

/** The record a page's owner publishes to prove the domain is theirs. */
export const verificationRecord = (domain: string) => `_upfleet.${domain}`;

/** A fresh token for a page's (new) domain: 24 random bytes, so no one can publish it before being shown it. */
export const newDomainToken = () => `upfleet-verify=${randomBytes(24).toString("base64url")}`;

/**
 * CHECK_DNS_RESOLVERS (`ip`, `ip:port`, `[ipv6]:port`, comma-separated) as node:dns servers; empty:
 * the system's. Throws naming a bad entry, so a typo stops the process at start.
 */
export function parseDnsServers(text: string): string[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry) ?? /^([^:]+)(?::(\d{1,5}))?$/.exec(entry);
      const host = match?.[1] ?? entry;
      const port = match?.[2] === undefined ? 53 : Number(match[2]);
      if (!isIP(host) || port < 1 || port > 65_535) throw new Error(`Invalid DNS resolver "${entry}": use ip[:port]`);
      return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    });
}

/** TXT lookups through `servers` (CHECK_DNS_RESOLVERS) or the system's resolvers. */
export function createTxtLookup(servers: readonly string[]): TxtLookup {
  const resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: 1 });
  if (servers.length > 0) resolver.setServers([...servers]);
  return async (name) => {
    try {
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""));
    } catch {
      // NXDOMAIN, no TXT, a timeout: not verified now; the periodic check will look again.
      return [];
    }
  };
}

export interface DomainRules {
  lookup: TxtLookup;
  /** True for a name inside the deployment's network (packages/outbound): never looked up. */
  isInternal(domain: string): boolean;
}

/**
 * Looks up `_upfleet.<domain>` now and marks the page's claim verified when a TXT string equals its
 * token. The write is conditional on the domain and token still being those looked up (a PATCH in
 * between wins). A domain another page has verified meanwhile is a 409: a verified claim wins.
 * Returns whether the claim is verified.
 */
async function checkDomainClaim(db: Db, pageId: string, rules: DomainRules, now = new Date()): Promise<boolean> {
  const page = await db.statusPage.findUnique({
    where: { id: pageId },
    select: { customDomain: true, customDomainToken: true, customDomainVerifiedAt: true },
  });
  if (!page?.customDomain || !page.customDomainToken) return false;
  if (page.customDomainVerifiedAt) return true;
  const { customDomain: domain, customDomainToken: token } = page;
  const found = rules.isInternal(domain) ? [] : await rules.lookup(verificationRecord(domain));
  const verified = found.includes(token);
  try {
    const { count } = await db.statusPage.updateMany({
      where: { id: pageId, customDomain: domain, customDomainToken: token },
      data: { customDomainCheckedAt: now, ...(verified ? { customDomainVerifiedAt: now } : {}) },
    });
    return verified && count === 1;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`The custom domain "${domain}" is already verified by another status page`);
    }
    throw error;
  }
}

/** The on-demand check of one page of the tenant's (404 for another tenant's). */
export async function verifyPageDomain(db: Db, organizationId: string, pageId: string, rules: DomainRules) {
  const page = await db.statusPage.findFirst({ where: { id: pageId, organizationId }, select: { customDomain: true } });
  if (!page) throw new NotFoundError("Status page", pageId);
  if (!page.customDomain) throw new ConflictError("This status page has no custom domain to verify");
  await checkDomainClaim(db, pageId, rules);
}

/**
 * The periodic check: up to `batch` unverified claims, longest unchecked first. A claim whose domain
 * another page verified stays unverified (its 409 is the owner's to see on demand).
 */
export async function checkPendingClaims(db: Db, rules: DomainRules, batch = 50): Promise<number> {
  const pending = await db.statusPage.findMany({
    where: { customDomain: { not: null }, customDomainVerifiedAt: null },
    orderBy: [{ customDomainCheckedAt: { sort: "asc", nulls: "first" } }, { id: "asc" }],
    take: batch,
    select: { id: true },
  });
  let verified = 0;
  for (const { id } of pending) {
    try {
      if (await checkDomainClaim(db, id, rules)) verified++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await db.statusPage.updateMany({ where: { id }, data: { customDomainCheckedAt: new Date() } });
    }
  }
  return verified;
}

/**
 * The periodic re-check of verified claims, up to `batch` not confirmed for RECHECK_MS, oldest first.
 * A confirmed record moves the claim's `checked_at` on; a claim whose record has not been seen for
 * LAPSE_MS is no longer verified (its page stops serving the domain, and another organization may
 * verify it). A lookup that fails counts as not seen: the grace covers outages. Returns the claims
 * that lapsed.
 */
export async function recheckVerifiedClaims(db: Db, rules: DomainRules, now = new Date(), batch = 50): Promise<number> {
  const due = await db.statusPage.findMany({
    where: {
      customDomainVerifiedAt: { not: null },
      OR: [{ customDomainCheckedAt: null }, { customDomainCheckedAt: { lt: new Date(now.getTime() - RECHECK_MS) } }],
    },
    orderBy: [{ customDomainCheckedAt: { sort: "asc", nulls: "first" } }, { id: "asc" }],
    take: batch,
    select: { id: true, customDomain: true, customDomainToken: true, customDomainCheckedAt: true },
  });
  let lapsed = 0;
  for (const page of due) {
    const { customDomain: domain, customDomainToken: token } = page;
    if (!domain || !token) continue;
    const seen = !rules.isInternal(domain) && (await rules.lookup(verificationRecord(domain))).includes(token);
    const confirmedAt = page.customDomainCheckedAt?.getTime() ?? 0;
    if (!seen && now.getTime() - confirmedAt < LAPSE_MS) continue;
    const { count } = await db.statusPage.updateMany({
      where: { id: page.id, customDomain: domain, customDomainToken: token },
      data: seen ? { customDomainCheckedAt: now } : { customDomainVerifiedAt: null },
    });
    if (!seen) lapsed += count;
  }
  return lapsed;
}
