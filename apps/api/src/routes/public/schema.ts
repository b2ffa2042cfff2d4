import { COMPONENT_STATES, OVERALL_STATES } from "@upfleet/status-pages";
import { z } from "zod";
import { Timestamp } from "../../http/schemas.ts";

/**
 * Public links travel through newsletters, chats and READMEs, which add tracking tags (`utm_source`,
 * `fbclid`) and cache-busters (a badge's `?v=2`): the public routes know no query field and drop them all.
 */
export const IgnoredQuery = z.object({});

/** Any text: a slug that cannot exist is simply not found, like one that is not published. */
export const SlugParams = z.strictObject({ slug: z.string().max(200) });

const PublicIncident = z
  .object({
    id: z.string(),
    monitor_id: z.string(),
    title: z.string(),
    status: z.string(),
    started_at: Timestamp,
    resolved_at: Timestamp.nullable(),
    updates: z.array(z.object({ status: z.string(), message: z.string().nullable(), created_at: Timestamp })),
  })
  .meta({ id: "PublicIncident" });

/** What a public status page shows (the HTML page renders the same). */
export const PublicStatusPage = z
  .object({
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    status: z.enum(OVERALL_STATES),
    sections: z.array(
      z.object({
        name: z.string(),
        components: z.array(
          z.object({
            id: z.string().meta({ description: "The monitor's id (its badge is /status/<slug>/badge/<id>.svg)" }),
            name: z.string(),
            status: z.enum(COMPONENT_STATES),
            uptime_percent: z.number().nullable().meta({ description: "Over the 90 days; null without checks" }),
            days: z
              .array(z.object({ date: z.string(), uptime_percent: z.number().nullable() }))
              .meta({ description: "90 UTC days, oldest first; null: no data that day" }),
          }),
        ),
      }),
    ),
    active_incidents: z.array(PublicIncident),
    recent_incidents: z.array(PublicIncident).meta({ description: "Resolved in the last 14 days" }),
    generated_at: Timestamp,
  })
  .meta({ id: "PublicStatusPage" });

export const PUBLIC_DESCRIPTION =
  "No credential. Only a published page exists here, and it shows only the monitors its sections " +
  "list (deleted ones drop out): a monitor paused shows as `paused`, one in a maintenance window as " +
  "`maintenance`; checks made in maintenance count neither as up nor as down. Incidents without a " +
  "monitor are not shown, nor the error text the system wrote when a monitor opened one. Cacheable " +
  "for 30 s; the API itself rebuilds a page at most every 15 s.";
