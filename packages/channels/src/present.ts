import type { Prisma } from "@upfleet/db";
import type { ChannelConfig } from "./config.ts";
import type { NotificationEvent } from "./events.ts";
import { maskConfig } from "./mask.ts";
import { storedSteps } from "./schemas.ts";

export type ChannelRow = Prisma.NotificationChannelGetPayload<object>;
export type RuleRow = Prisma.NotificationRuleGetPayload<object>;
export type PolicyRow = Prisma.EscalationPolicyGetPayload<object>;

const iso = (date: Date) => date.toISOString();

/**
 * The stored type and config, typed: the routes wrote it through the type's schema (its credentials
 * masked in place, see credentials.ts; only the senders open them).
 */
function channelConfigOf(row: Pick<ChannelRow, "type" | "config">): ChannelConfig {
  return { type: row.type, config: row.config } as ChannelConfig;
}

/** The API's channel object, secrets and URLs masked. */
export function presentChannel(row: ChannelRow) {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    type: row.type,
    config: maskConfig(channelConfigOf(row)),
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

/** A rule as the router reads it: null means "all" (the API's null, stored as an empty array). */
export interface RoutingRule {
  id: string;
  name: string;
  events: NotificationEvent[] | null;
  monitorIds: string[] | null;
  tags: string[] | null;
  channelIds: string[];
  escalationPolicyId: string | null;
}

const allAsNull = <T>(list: T[]) => (list.length === 0 ? null : list);

/** Empty arrays are how "all" is stored. */
function toRoutingRule(row: RuleRow): RoutingRule {
  return {
    id: row.id,
    name: row.name,
    events: allAsNull(row.events as NotificationEvent[]),
    monitorIds: allAsNull(row.monitorIds),
    tags: allAsNull(row.tags),
    channelIds: row.channelIds,
    escalationPolicyId: row.escalationPolicyId,
  };
}

export function presentRule(row: RuleRow) {
  const rule = toRoutingRule(row);
  return {
    id: rule.id,
    key: row.key,
    name: rule.name,
    events: rule.events,
    monitor_ids: rule.monitorIds,
    tags: rule.tags,
    channel_ids: rule.channelIds,
    escalation_policy_id: rule.escalationPolicyId,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function presentPolicy(row: PolicyRow) {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    steps: storedSteps(row.steps),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}
