import type { Db } from "@upfleet/db";
import type { ChannelConfig } from "./config.ts";
import type { RoutingRule } from "./matcher.ts";
import { channelConfigOf, toRoutingRule } from "./present.ts";
import type { PolicyStep } from "./steps.ts";

/** What the alerter reads: unmasked, for the router and the senders only, never for a response. */

export type DeliveryChannel = ChannelConfig & {
  id: string;
  organizationId: string;
  name: string;
  enabled: boolean;
  disabledReason: string | null;
};

/** The channel with its secret and URL as written, or null when it does not exist or was deleted. */
export async function getChannelForDelivery(db: Db, id: string): Promise<DeliveryChannel | null> {
  const row = await db.notificationChannel.findFirst({ where: { id, deletedAt: null } });
  if (!row) return null;
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    ...channelConfigOf(row),
  };
}

/** Of `ids`, those naming an enabled, live channel of the organization, in the order given. */
export async function activeChannelIds(db: Db, organizationId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.notificationChannel.findMany({
    where: { id: { in: [...ids] }, organizationId, enabled: true, deletedAt: null },
    select: { id: true },
  });
  const active = new Set(rows.map((row) => row.id));
  return ids.filter((id) => active.has(id));
}

/**
 * The system turns a channel off (the receiver answered 410 Gone…) and says why; a user re-enabling it
 * clears the reason. Returns false when it was already disabled or is gone.
 */
export async function disableChannel(db: Db, id: string, reason: string): Promise<boolean> {
  const { count } = await db.notificationChannel.updateMany({
    where: { id, enabled: true, deletedAt: null },
    data: { enabled: false, disabledReason: reason },
  });
  return count === 1;
}

/** Every rule of the organization, oldest first. */
export async function rulesFor(db: Db, organizationId: string): Promise<RoutingRule[]> {
  const rows = await db.notificationRule.findMany({ where: { organizationId }, orderBy: { id: "asc" } });
  return rows.map(toRoutingRule);
}

/** A live policy's steps (step 1 first, delays strictly increasing), or null when there is none. */
export async function getPolicySteps(db: Db, organizationId: string, policyId: string): Promise<PolicyStep[] | null> {
  const row = await db.escalationPolicy.findFirst({
    where: { id: policyId, organizationId, deletedAt: null },
    select: { steps: true },
  });
  return row ? (row.steps as unknown as PolicyStep[]) : null;
}
