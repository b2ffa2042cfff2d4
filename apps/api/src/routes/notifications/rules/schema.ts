import { NOTIFICATION_EVENTS } from "@upfleet/channels";
import { z } from "zod";
import { idParam, listOf, Timestamp } from "../../../http/schemas.ts";

export { CreateRuleBody, PatchRuleBody } from "@upfleet/channels";

export const RuleParams = idParam("rul");

/** The rule object (API.md "Notifications"): null filters mean "all". */
export const RuleBody = z
  .object({
    id: z.string(),
    key: z.string().nullable(),
    name: z.string(),
    events: z.array(z.enum(NOTIFICATION_EVENTS)).nullable().meta({ description: "null: every event" }),
    monitor_ids: z.array(z.string()).nullable().meta({ description: "null: every monitor" }),
    tags: z.array(z.string()).nullable().meta({ description: "null: any; else monitors carrying one of them" }),
    channel_ids: z.array(z.string()),
    escalation_policy_id: z.string().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "NotificationRule" });

export const RuleList = listOf(RuleBody, "NotificationRuleList");
