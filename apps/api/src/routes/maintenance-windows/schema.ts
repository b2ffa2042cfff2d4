import { MonitorId, REPEATS } from "@upfleet/maintenance";
import { z } from "zod";
import { idParam, KeyFilter, listOf, PageQuery, Timestamp } from "../../http/schemas.ts";

export { CreateWindowBody, PatchWindowBody } from "@upfleet/maintenance";

export const WindowParams = idParam("mnt");

const Occurrence = z.object({ starts_at: Timestamp, ends_at: Timestamp }).meta({ id: "MaintenanceOccurrence" });

/** The maintenance window object (API.md "Maintenance windows"), with when it is on. */
export const WindowBody = z
  .object({
    id: z.string(),
    key: z.string().nullable(),
    name: z.string(),
    monitor_ids: z.array(z.string()),
    starts_at: Timestamp.meta({ description: "Start of the first occurrence" }),
    ends_at: Timestamp.meta({ description: "End of the first occurrence" }),
    repeat: z.enum(REPEATS).nullable(),
    timezone: z.string(),
    active: z.boolean().meta({ description: "An occurrence is on now: the monitors do not alert" }),
    next_occurrence: Occurrence.nullable().meta({
      description: "The occurrence on now, else the next one; null once a one-off window is over",
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "MaintenanceWindow" });

export const WindowList = listOf(WindowBody, "MaintenanceWindowList");

export const WindowListQuery = PageQuery.extend({
  key: KeyFilter,
  monitor_id: MonitorId.optional().meta({ description: "Only windows naming this monitor" }),
  active: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional()
    .meta({ description: "true: windows on now only; false: the others" }),
});

export const WINDOW_DESCRIPTION =
  "During an occurrence of a window its monitors are still checked and their results stored, but no " +
  "incident opens and no notification goes out; uptime leaves the time out. The first occurrence is " +
  "[starts_at, ends_at); a daily or weekly window recurs at the same local time in `timezone` (kept " +
  "across DST), lasting as long as the first, at most 24 hours or 7 days. `monitor_ids` must name " +
  "monitors of your organization: any other id is a 404 naming it.";
