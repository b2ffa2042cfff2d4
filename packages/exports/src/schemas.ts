import { Instant } from "@upfleet/db";
import { z } from "zod";
import { EXPORT_FORMATS } from "./format.ts";
import { EXPORT_TYPES } from "./rows.ts";

/** The longest range one export covers. */
const MAX_RANGE_DAYS = 93;
const MAX_MONITOR_IDS = 500;
const DAY_MS = 86_400_000;

/** POST /exports. Strict: typos are a 400. Monitors are checked against the organization by the service. */
export const CreateExportBody = z
  .strictObject({
    type: z.enum(EXPORT_TYPES),
    format: z.enum(EXPORT_FORMATS),
    monitor_ids: z
      .array(z.string().min(1).max(64))
      .min(1, "must name at least one monitor; leave it out for every monitor")
      .max(MAX_MONITOR_IDS)
      .superRefine((ids, ctx) => {
        const seen = new Set<string>();
        ids.forEach((id, index) => {
          if (seen.has(id)) ctx.addIssue({ code: "custom", path: [index], message: `repeats ${id}` });
          seen.add(id);
        });
      })
      .optional()
      .meta({ description: "Leave out for every monitor of the organization" }),
    from: Instant.meta({ description: "ISO-8601 with an offset" }),
    to: Instant.meta({ description: `After \`from\`, at most ${MAX_RANGE_DAYS} days later` }),
  })
  .superRefine((body, ctx) => {
    const from = Date.parse(body.from);
    const to = Date.parse(body.to);
    if (from > Date.now()) ctx.addIssue({ code: "custom", path: ["from"], message: "must not be in the future" });
    if (to <= from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (to - from > MAX_RANGE_DAYS * DAY_MS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `must be at most ${MAX_RANGE_DAYS} days after from` });
    }
  })
  .meta({ id: "CreateExportRequest" });

export type NewExport = z.output<typeof CreateExportBody>;
