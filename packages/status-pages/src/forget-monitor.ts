import type { Prisma } from "@upfleet/db";
import { storedSections } from "./schemas.ts";
import type { Tenant } from "./service.ts";

/**
 * Takes a deleted monitor out of the sections of the pages that list it, in the transaction that
 * deletes it; a section left with no monitor goes too. Public views already skip deleted monitors:
 * this keeps the pages as their owners read them in step.
 */
export async function forgetMonitorInPages(tx: Prisma.TransactionClient, tenant: Tenant, monitorId: string) {
  const pages = await tx.$queryRaw<{ id: string; sections: unknown }[]>`
    SELECT id, sections FROM status_pages
    WHERE organization_id = ${tenant.organizationId}
      AND jsonb_path_exists(sections, '$[*].monitor_ids[*] ? (@ == $id)', jsonb_build_object('id', ${monitorId}::text))
    FOR UPDATE`;
  for (const page of pages) {
    const sections = storedSections(page.sections)
      .map((section) => ({ ...section, monitor_ids: section.monitor_ids.filter((id) => id !== monitorId) }))
      .filter((section) => section.monitor_ids.length > 0);
    await tx.statusPage.update({ where: { id: page.id }, data: { sections } });
  }
}
