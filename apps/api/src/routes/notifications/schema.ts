import { z } from "zod";
import { listOf, PageQuery, Timestamp } from "../../http/schemas.ts";

const FilterId = z.string().min(1).max(64);

/** One delivery attempt (API.md "Notifications"). */
export const DeliveryBody = z
  .object({
    id: z.string(),
    channel_id: z.string(),
    incident_id: z.string().nullable(),
    notification_id: z.string().nullable().meta({
      description: "The notification this attempt belongs to (its webhook-id); null for test sends",
    }),
    event: z.string().meta({ description: 'An event of API.md, or "test" for a test send' }),
    attempt: z.number().int().meta({ description: "1 to 6; retries of one notification share its webhook-id" }),
    status: z.enum(["pending", "succeeded", "failed"]),
    response_status: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The receiver's HTTP status; null when none came (timeout, blocked, email)" }),
    error: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    created_at: Timestamp,
  })
  .meta({ id: "NotificationDelivery" });

export const DeliveryList = listOf(DeliveryBody, "NotificationDeliveryList");

export const DeliveryListQuery = PageQuery.extend({
  channel_id: FilterId.optional().meta({ description: "Only this channel's attempts" }),
  incident_id: FilterId.optional().meta({ description: "Only attempts of this incident's notifications" }),
});
