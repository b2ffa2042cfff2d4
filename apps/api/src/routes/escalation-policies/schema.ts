import { z } from "zod";
import { idParam, listOf, Timestamp } from "../../http/schemas.ts";

export { CreatePolicyBody, PatchPolicyBody } from "@upfleet/channels";

export const PolicyParams = idParam("esc");

/** The escalation policy object (API.md "Notifications"). */
export const PolicyBody = z
  .object({
    id: z.string(),
    key: z.string().nullable(),
    name: z.string(),
    steps: z.array(z.object({ delay_minutes: z.number().int(), channel_ids: z.array(z.string()) })),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "EscalationPolicy" });

export const PolicyList = listOf(PolicyBody, "EscalationPolicyList");

export const STEPS_DESCRIPTION =
  "1 to 10 steps. Step 1 fires when the incident opens (`delay_minutes: 0`); each later step fires if " +
  "the incident is still unacknowledged `delay_minutes` (at most 1440) after it opened, so delays " +
  "strictly increase. Every step sends to at least one of your organization's channels (404 otherwise).";
