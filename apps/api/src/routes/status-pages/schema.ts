import { z } from "zod";
import { idParam, KeyedPageQuery, listOf, Timestamp } from "../../http/schemas.ts";

export { CreatePageBody, PatchPageBody } from "@upfleet/status-pages";

export const PageParams = idParam("stp");

/** The status page object (API.md "Status pages"). */
export const StatusPageBody = z
  .object({
    id: z.string(),
    key: z.string().nullable(),
    name: z.string(),
    slug: z.string(),
    custom_domain: z.string().nullable(),
    custom_domain_verified: z
      .boolean()
      .meta({ description: "Whether the custom domain proved to be yours; only then does it serve the page" }),
    custom_domain_verification: z
      .object({
        record: z.string().meta({ description: "`_upfleet.<custom_domain>`" }),
        type: z.literal("TXT"),
        value: z.string().meta({ description: "What the TXT record must hold; new for every domain claimed" }),
      })
      .nullable()
      .meta({ description: "The DNS record that verifies the custom domain (null without one)" }),
    description: z.string().nullable(),
    published: z.boolean(),
    sections: z.array(z.object({ name: z.string(), monitor_ids: z.array(z.string()) })),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "StatusPage" });

export const StatusPageList = listOf(StatusPageBody, "StatusPageList");

export const PageListQuery = KeyedPageQuery;

export const PAGE_DESCRIPTION =
  "A published page is public at `/status/<slug>` (HTML), `/api/v1/public/status-pages/<slug>` (JSON) " +
  "and, with a `custom_domain`, at `/` of that host; it shows only the monitors its sections list. " +
  "Slugs are unique across all organizations (409). A custom domain serves nothing until verified: " +
  "publish the TXT record of `custom_domain_verification` and call verify-domain (the alerter also " +
  "checks unverified claims every few minutes); an unverified claim never blocks another " +
  "organization's, and once one page has verified a domain, others' verification of it is a 409. " +
  "Changing the domain starts a new, unverified claim. `monitor_ids` must name " +
  "monitors of your organization: any other id is a 404 naming it.";
