import { INCIDENT_STATUSES, OPEN_STATUSES } from "@upfleet/incidents";
import { z } from "zod";
import { idParam, listOf, PageQuery, Timestamp } from "../../http/schemas.ts";

export const IncidentParams = idParam("inc");

const Title = z.string().trim().min(1).max(200);
const Message = z.string().trim().min(1).max(10_000);
const MonitorId = z.string().min(1).max(64);

const IncidentUpdateBody = z
  .object({
    id: z.string(),
    status: z.enum(INCIDENT_STATUSES),
    message: z.string().nullable(),
    created_at: Timestamp,
  })
  .meta({ id: "IncidentUpdate" });

/** The incident object (API.md "Incidents"), its timeline oldest first. */
export const IncidentBody = z
  .object({
    id: z.string(),
    monitor_id: z.string().nullable(),
    title: z.string(),
    status: z.enum(INCIDENT_STATUSES),
    cause: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: "The failing checks that opened it (error, http_status, regions…); null for manual ones" }),
    started_at: Timestamp,
    acknowledged_at: Timestamp.nullable(),
    acknowledged_by: z
      .string()
      .nullable()
      .meta({ description: 'A user id, or "system" when recovery acknowledged it' }),
    resolved_at: Timestamp.nullable(),
    updates: z.array(IncidentUpdateBody),
  })
  .meta({ id: "Incident" });

export const IncidentList = listOf(IncidentBody, "IncidentList");

export const IncidentListQuery = PageQuery.extend({
  monitor_id: MonitorId.optional(),
  active: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional()
    .meta({ description: "true: open incidents only; false: resolved ones only" }),
  status: z.enum(INCIDENT_STATUSES).optional(),
});

export const CreateIncidentBody = z
  .strictObject({
    monitor_id: MonitorId.optional(),
    title: Title,
    status: z
      .enum(OPEN_STATUSES)
      .optional()
      .meta({ description: "Default investigating; resolve with POST /incidents/{id}/resolve" }),
    message: Message.optional().meta({ description: "The first entry of the timeline" }),
  })
  .meta({ id: "CreateIncidentRequest" });

export const PatchIncidentBody = z
  .strictObject({
    status: z.enum(INCIDENT_STATUSES).optional(),
    title: Title.optional(),
    message: Message.optional(),
  })
  .meta({ id: "PatchIncidentRequest" });

export const AddIncidentUpdateBody = z
  .strictObject({ status: z.enum(INCIDENT_STATUSES).optional(), message: Message })
  .meta({ id: "AddIncidentUpdateRequest" });

export const ResolveIncidentBody = z
  .strictObject({ message: Message.optional() })
  .meta({ id: "ResolveIncidentRequest" });
