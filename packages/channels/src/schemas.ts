import { ResourceKey } from "@upfleet/db";
import { type ErrorDetail, parseStored } from "@upfleet/errors";
import { z } from "zod";
import { CHANNEL_CONFIGS, CHANNEL_TYPES, type ChannelTypeName } from "./config.ts";
import { NOTIFICATION_EVENTS } from "./events.ts";
import { MAX_DELAY_MINUTES, MAX_STEPS, type PolicyStep, stepOrderProblems } from "./steps.ts";

/** Request bodies of the channels, rules and escalation policies routes. Strict: typos are a 400. */

const Name = z.string().trim().min(1).max(200);
/** Set on create (or not: null), then changed or cleared (null) by a PATCH. */
const Key = ResourceKey.nullable();
/** Ids of other resources: anything that is not one of the caller's is a 404 naming it. */
const RefId = z.string().min(1).max(64);
const Tag = z.string().trim().min(1).max(50);

/** Repeats are dropped, keeping the order first given. */
const unique = <T>(list: T[]) => [...new Set(list)];

function createChannelVariant<T extends ChannelTypeName>(type: T) {
  return z.strictObject({
    key: Key.default(null),
    name: Name,
    type: z.literal(type),
    config: CHANNEL_CONFIGS[type],
    enabled: z.boolean().default(true),
  });
}

export const CreateChannelBody = z
  .discriminatedUnion(
    "type",
    [
      createChannelVariant("webhook"),
      createChannelVariant("slack"),
      createChannelVariant("discord"),
      createChannelVariant("email"),
    ],
    {
      error: (issue) => (issue.code === "invalid_union" ? `must be one of ${CHANNEL_TYPES.join(", ")}` : undefined),
    },
  )
  .meta({ id: "CreateChannelRequest" });

export type NewChannel = z.output<typeof CreateChannelBody>;

export const PatchChannelBody = z
  .strictObject({
    key: Key.optional(),
    name: Name.optional(),
    type: z
      .enum(CHANNEL_TYPES)
      .optional()
      .meta({ description: "A channel's type cannot change; if given it must be the current one" }),
    enabled: z.boolean().optional().meta({ description: "Enabling a channel clears its disabled_reason" }),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({
        description:
          "Fields of the channel's own type, merged onto the stored config and re-checked as a whole " +
          "(a webhook keeps its secret unless a new one is given)",
      }),
  })
  .meta({ id: "UpdateChannelRequest" });

export type ChannelPatch = z.output<typeof PatchChannelBody>;

const ruleFields = {
  key: Key,
  name: Name,
  events: z
    .array(z.enum(NOTIFICATION_EVENTS))
    .min(1, "must name at least one event; use null for every event")
    .transform(unique)
    .nullable(),
  monitor_ids: z
    .array(RefId)
    .min(1, "must name at least one monitor; use null for every monitor")
    .max(500)
    .transform(unique)
    .nullable(),
  tags: z.array(Tag).min(1, "must name at least one tag; use null for any tag").max(20).transform(unique).nullable(),
  channel_ids: z.array(RefId).max(20).transform(unique),
  escalation_policy_id: RefId.nullable(),
};

export interface RuleTargets {
  channel_ids: readonly string[];
  escalation_policy_id: string | null;
}

/** A rule must send somewhere: to channels, to an escalation policy, or both. */
export function ruleTargetProblems(rule: RuleTargets): ErrorDetail[] {
  if (rule.channel_ids.length > 0 || rule.escalation_policy_id !== null) return [];
  return [{ path: "channel_ids", message: "a rule needs at least one channel or an escalation_policy_id" }];
}

export const CreateRuleBody = z
  .strictObject({
    key: ruleFields.key.default(null),
    name: ruleFields.name,
    events: ruleFields.events.default(null).meta({ description: "null: every event" }),
    monitor_ids: ruleFields.monitor_ids.default(null).meta({ description: "null: every monitor" }),
    tags: ruleFields.tags.default(null).meta({ description: "null: any tags; else monitors with one of them" }),
    channel_ids: ruleFields.channel_ids.default([]),
    escalation_policy_id: ruleFields.escalation_policy_id.default(null),
  })
  .superRefine((rule, ctx) => {
    for (const problem of ruleTargetProblems(rule)) ctx.addIssue({ code: "custom", ...problem, path: [problem.path] });
  })
  .meta({ id: "CreateRuleRequest" });

export type NewRule = z.output<typeof CreateRuleBody>;

export const PatchRuleBody = z
  .strictObject({
    key: ruleFields.key.optional(),
    name: ruleFields.name.optional(),
    events: ruleFields.events.optional(),
    monitor_ids: ruleFields.monitor_ids.optional(),
    tags: ruleFields.tags.optional(),
    channel_ids: ruleFields.channel_ids.optional(),
    escalation_policy_id: ruleFields.escalation_policy_id.optional(),
  })
  .meta({ id: "UpdateRuleRequest" });

export type RulePatch = z.output<typeof PatchRuleBody>;

const Step = z.strictObject({
  delay_minutes: z
    .number()
    .int("must be a whole number of minutes")
    .min(0, "must be 0 or more")
    .max(MAX_DELAY_MINUTES, `must be at most ${MAX_DELAY_MINUTES} (24 hours)`)
    .meta({ description: "Minutes after the incident opened; 0 for the first step, then strictly increasing" }),
  channel_ids: z.array(RefId).min(1, "each step needs at least one channel").max(20).transform(unique),
});

const Steps = z
  .array(Step)
  .min(1, "a policy needs at least one step")
  .max(MAX_STEPS, `a policy has at most ${MAX_STEPS} steps`)
  .superRefine((steps, ctx) => {
    for (const problem of stepOrderProblems(steps)) {
      ctx.addIssue({ code: "custom", message: problem.message, path: problem.path.split(".").slice(1) });
    }
  });

/** A policy's `steps` column, read through the schema it was written with. */
export function storedSteps(column: unknown): PolicyStep[] {
  return parseStored(Steps, column, "escalation policy steps");
}

export const CreatePolicyBody = z
  .strictObject({ key: Key.default(null), name: Name, steps: Steps })
  .meta({ id: "CreateEscalationPolicyRequest" });
export type NewPolicy = z.output<typeof CreatePolicyBody>;

export const PatchPolicyBody = z
  .strictObject({
    key: Key.optional(),
    name: Name.optional(),
    steps: Steps.optional().meta({ description: "Replaces every step" }),
  })
  .meta({ id: "UpdateEscalationPolicyRequest" });
export type PolicyPatch = z.output<typeof PatchPolicyBody>;
