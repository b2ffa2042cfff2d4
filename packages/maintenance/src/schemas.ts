import { Instant, ResourceKey } from "@upfleet/db";
import type { ErrorDetail } from "@upfleet/errors";
import { IANAZone } from "luxon";
import { z } from "zod";
import { maxDurationMs, type Repeat } from "./occurrences.ts";

/** Request bodies of the maintenance windows routes. Strict: typos are a 400. */

export const REPEATS = ["daily", "weekly"] as const satisfies readonly Repeat[];

/** PostgreSQL text cannot hold NUL: refused here, it would otherwise fail the query (a 500). */
const noNul = (schema: z.ZodString) => schema.refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

/** Ids of monitors: anything that is not one of the caller's live monitors is a 404 naming it. */
export const MonitorId = noNul(z.string().min(1).max(64));

/** Repeats are dropped, keeping the order first given. */
const unique = <T>(list: T[]) => [...new Set(list)];

const fields = {
  key: ResourceKey.nullable(),
  name: noNul(z.string().trim().min(1).max(200)),
  monitor_ids: z
    .array(MonitorId)
    .min(1, "must name at least one monitor")
    .max(500)
    .transform(unique)
    .meta({ description: "Monitors of your organization; during an occurrence none of them alerts" }),
  starts_at: Instant.meta({ description: "Start of the first occurrence (ISO 8601 with an offset)" }),
  ends_at: Instant.meta({ description: "End of the first occurrence, after starts_at" }),
  repeat: z
    .enum(REPEATS, { error: "must be null, daily or weekly" })
    .nullable()
    .meta({
      description:
        "null: once. daily / weekly: again every day / week at the same local time in `timezone`, " +
        "each occurrence as long as the first (at most 24 hours / 7 days)",
    }),
  timezone: z
    .string()
    .max(64)
    // Luxon, which computes the occurrences, asks Intl: the same zones as a heartbeat_timezone.
    .refine((zone) => IANAZone.isValidZone(zone), { error: (issue) => `unknown IANA time zone "${issue.input}"` })
    .meta({ description: "IANA zone whose wall-clock time a repeating window keeps across DST" }),
};

/** The parts of a window its rules look at across fields, as written or merged by a PATCH. */
export interface WindowSpan {
  starts_at: string;
  ends_at: string;
  repeat: Repeat | null;
}

/** A window ends after it starts, and a repeating one ends before its next occurrence begins. */
export function windowProblems(window: WindowSpan): ErrorDetail[] {
  const duration = Date.parse(window.ends_at) - Date.parse(window.starts_at);
  if (duration <= 0) return [{ path: "ends_at", message: "must be after starts_at" }];
  const max = maxDurationMs(window.repeat);
  if (max !== null && duration > max) {
    const limit = window.repeat === "daily" ? "24 hours" : "7 days";
    return [{ path: "ends_at", message: `a ${window.repeat} window lasts at most ${limit}` }];
  }
  return [];
}

export const CreateWindowBody = z
  .strictObject({
    key: fields.key.default(null),
    name: fields.name,
    monitor_ids: fields.monitor_ids,
    starts_at: fields.starts_at,
    ends_at: fields.ends_at,
    repeat: fields.repeat.default(null),
    timezone: fields.timezone.default("UTC"),
  })
  .superRefine((window, ctx) => {
    for (const problem of windowProblems(window)) ctx.addIssue({ code: "custom", ...problem, path: [problem.path] });
  })
  .meta({ id: "CreateMaintenanceWindowRequest" });

export type NewWindow = z.output<typeof CreateWindowBody>;

export const PatchWindowBody = z
  .strictObject({
    key: fields.key.optional(),
    name: fields.name.optional(),
    monitor_ids: fields.monitor_ids.optional().meta({ description: "Replaces the list" }),
    starts_at: fields.starts_at.optional(),
    ends_at: fields.ends_at.optional(),
    repeat: fields.repeat.optional(),
    timezone: fields.timezone.optional(),
  })
  .meta({ id: "UpdateMaintenanceWindowRequest" });

export type WindowPatch = z.output<typeof PatchWindowBody>;
