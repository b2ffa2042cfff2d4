import { byKey, type KeyFilter, type PageRequest, pageQuery } from "@upfleet/db";

/** Whose channels, rules and policies a call reads and writes. */
export interface Tenant {
  organizationId: string;
}

/** The tenant's rows that are not soft-deleted (channels and policies; rules are deleted outright). */
export const live = (tenant: Tenant) => ({ organizationId: tenant.organizationId, deletedAt: null });

/** findMany's arguments for one page of the rows matching `where` and the key filter, newest first. */
export function keyedPage<Where extends object>(where: Where, filter: KeyFilter, page: PageRequest) {
  const query = pageQuery(page);
  return { ...query, where: { ...query.where, ...where, ...byKey(filter) } };
}
