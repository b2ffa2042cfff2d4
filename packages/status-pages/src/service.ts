import {
  byKey,
  type Db,
  isUniqueViolation,
  type KeyFilter,
  type PageRequest,
  type Prisma,
  pageQuery,
  requireOwned,
  toPage,
  uniqueKey,
} from "@upfleet/db";
import { ConflictError, NotFoundError, ValidationError, zodIssuesToDetails } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import { newDomainToken, verificationRecord } from "./domain-verification.ts";
import { CreatePageBody, type NewPage, type PagePatch, type SectionInput, storedSections } from "./schemas.ts";
import { buildView, type PublicView } from "./view.ts";

export interface Tenant {
  organizationId: string;
}

/** What the deployment decides: the API's own hostname cannot be a page's custom domain. */
export interface PageRules {
  apiHostname: string;
  /** Names inside the deployment's network (packages/outbound's rule): never a custom domain. */
  isInternal?(domain: string): boolean;
}

const ENTITY = "Status page";

type PageRow = Prisma.StatusPageGetPayload<object>;

/** The API's status page (API.md "Status pages"). */
function presentPage(row: PageRow) {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    slug: row.slug,
    custom_domain: row.customDomain,
    custom_domain_verified: row.customDomain !== null && row.customDomainVerifiedAt !== null,
    custom_domain_verification:
      row.customDomain && row.customDomainToken
        ? { record: verificationRecord(row.customDomain), type: "TXT" as const, value: row.customDomainToken }
        : null,
    description: row.description,
    published: row.published,
    sections: storedSections(row.sections),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Every monitor a page lists must be a live one of the organization (a 404 naming the others), share-locked. */
async function requireMonitors(tx: Prisma.TransactionClient, organizationId: string, sections: SectionInput[]) {
  const ids = [...new Set(sections.flatMap((section) => section.monitor_ids))];
  await requireOwned(tx, "monitor", organizationId, ids);
}

function checkDomain(domain: string | null, rules: PageRules) {
  if (domain !== null && domain === rules.apiHostname.toLowerCase()) {
    throw new ValidationError([{ path: "custom_domain", message: "is the API's own host" }]);
  }
  if (domain !== null && rules.isInternal?.(domain)) {
    throw new ValidationError([
      { path: "custom_domain", message: "is an internal name (single-label or under an internal suffix)" },
    ]);
  }
}

/** A taken slug, domain or key is a 409 naming it; the unique indexes decide, so two writers cannot both win. */
async function uniquely<T>(page: Pick<NewPage, "slug" | "key">, write: () => Promise<T>): Promise<T> {
  try {
    return await uniqueKey("status page", page.key, write);
  } catch (error) {
    if (isUniqueViolation(error, "slug")) throw new ConflictError(`The slug "${page.slug}" is taken`);
    throw error;
  }
}

/** A new (or changed) domain is a new, unverified claim with a fresh token; the same one keeps its state. */
function domainColumns(domain: string | null, current: string | null | undefined) {
  if (current !== undefined && domain === current) return {};
  return {
    customDomain: domain,
    customDomainToken: domain === null ? null : newDomainToken(),
    customDomainVerifiedAt: null,
    customDomainCheckedAt: null,
  };
}

function columnsFrom(page: NewPage, currentDomain?: string | null) {
  return {
    key: page.key,
    name: page.name,
    slug: page.slug,
    ...domainColumns(page.custom_domain, currentDomain),
    description: page.description,
    published: page.published,
    sections: page.sections,
  };
}

export async function createPage(db: Db, tenant: Tenant, input: NewPage, rules: PageRules) {
  checkDomain(input.custom_domain, rules);
  return uniquely(input, () =>
    db.$transaction(async (tx) => {
      await requireMonitors(tx, tenant.organizationId, input.sections);
      const row = await tx.statusPage.create({
        data: { id: newId("statusPage"), organizationId: tenant.organizationId, ...columnsFrom(input) },
      });
      return presentPage(row);
    }),
  );
}

/** Newest first. */
export async function listPages(db: Db, tenant: Tenant, filter: KeyFilter, page: PageRequest) {
  const query = pageQuery(page);
  const rows = await db.statusPage.findMany({
    ...query,
    where: { ...query.where, organizationId: tenant.organizationId, ...byKey(filter) },
  });
  return toPage(rows, page, presentPage);
}

export async function getPage(db: Db, tenant: Tenant, id: string) {
  const row = await db.statusPage.findFirst({ where: { id, organizationId: tenant.organizationId } });
  if (!row) throw new NotFoundError(ENTITY, id);
  return presentPage(row);
}

/**
 * The page as the public would see it once published, published or not: the dashboard's preview.
 * Built fresh each time (no cache), so an edit shows at once.
 */
export async function previewPage(db: Db, tenant: Tenant, id: string): Promise<PublicView> {
  const page = await db.statusPage.findFirst({ where: { id, organizationId: tenant.organizationId } });
  if (!page) throw new NotFoundError(ENTITY, id);
  return buildView(db, page);
}

/**
 * The patch is merged onto the locked page and the result checked as a whole, as a new page would be.
 * Only sections the patch gives are checked for monitors: one deleted since does not block renaming
 * the page (it simply no longer shows).
 */
export async function updatePage(db: Db, tenant: Tenant, id: string, patch: PagePatch, rules: PageRules) {
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM status_pages WHERE id = ${id} AND organization_id = ${tenant.organizationId} FOR UPDATE`;
    if (!locked) throw new NotFoundError(ENTITY, id);
    const current = presentPage(await tx.statusPage.findUniqueOrThrow({ where: { id } }));
    const merged = CreatePageBody.safeParse({
      key: patch.key === undefined ? current.key : patch.key,
      name: patch.name ?? current.name,
      slug: patch.slug ?? current.slug,
      custom_domain: patch.custom_domain === undefined ? current.custom_domain : patch.custom_domain,
      description: patch.description === undefined ? current.description : patch.description,
      published: patch.published ?? current.published,
      sections: patch.sections ?? current.sections,
    });
    if (!merged.success) throw new ValidationError(zodIssuesToDetails(merged.error.issues));
    checkDomain(merged.data.custom_domain, rules);
    if (patch.sections) await requireMonitors(tx, tenant.organizationId, patch.sections);
    const row = await uniquely(merged.data, () =>
      tx.statusPage.update({ where: { id }, data: columnsFrom(merged.data, current.custom_domain) }),
    );
    return presentPage(row);
  });
}

/** Hard delete: the page's address is free again at once. */
export async function deletePage(db: Db, tenant: Tenant, id: string): Promise<void> {
  const { count } = await db.statusPage.deleteMany({ where: { id, organizationId: tenant.organizationId } });
  if (count === 0) throw new NotFoundError(ENTITY, id);
}
