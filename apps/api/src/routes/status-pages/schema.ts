import { z } from "zod";
import { idParam, listOf, PageQuery, Timestamp } from "../../http/schemas.ts";

export { CreatePageBody, PatchPageBody } from "@upfleet/status-pages";

export const PageParams = idParam("stp");

/** The status page object (API.md "Status pages"). */
export const StatusPageBody = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    custom_domain: z.string().nullable(),
    description: z.string().nullable(),
    published: z.boolean(),
    sections: z.array(z.object({ name: z.string(), monitor_ids: z.array(z.string()) })),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "StatusPage" });

export const StatusPageList = listOf(StatusPageBody, "StatusPageList");

export const PageListQuery = PageQuery;

export const PAGE_DESCRIPTION =
  "A published page is public at `/status/<slug>` (HTML), `/api/v1/public/status-pages/<slug>` (JSON) " +
  "and, with a `custom_domain`, at `/` of that host; it shows only the monitors its sections list. " +
  "Slugs and custom domains are unique across all organizations (409). `monitor_ids` must name " +
  "monitors of your organization: any other id is a 404 naming it.";
