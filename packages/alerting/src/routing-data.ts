import type { NotificationEvent } from "@upfleet/channels";
import type { Prisma } from "@upfleet/db";
import type { RuleFields } from "./routing.ts";

type Tx = Prisma.TransactionClient;

export interface Routing {
  rules(organizationId: string): RuleFields[];
  /** Channels that can send: enabled and not deleted. */
  usable(organizationId: string): ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** The rules and sendable channels of the organizations in a batch, read once for the batch. */
export async function loadRouting(tx: Tx, organizationIds: Iterable<string>): Promise<Routing> {
  const orgs = [...new Set(organizationIds)];
  if (orgs.length === 0) return { rules: () => [], usable: () => NONE };
  const rules = await tx.notificationRule.findMany({
    where: { organizationId: { in: orgs } },
    select: {
      organizationId: true,
      events: true,
      monitorIds: true,
      tags: true,
      channelIds: true,
      escalationPolicyId: true,
    },
  });
  const channels = await tx.notificationChannel.findMany({
    where: { organizationId: { in: orgs }, enabled: true, deletedAt: null },
    select: { id: true, organizationId: true },
  });
  const rulesByOrg = new Map<string, RuleFields[]>();
  for (const { organizationId, ...rule } of rules) {
    // Stored events were validated against the event list when the rule was written.
    const routing = { ...rule, events: rule.events as NotificationEvent[] };
    rulesByOrg.set(organizationId, [...(rulesByOrg.get(organizationId) ?? []), routing]);
  }
  const channelsByOrg = new Map<string, Set<string>>();
  for (const channel of channels) {
    const set = channelsByOrg.get(channel.organizationId) ?? new Set<string>();
    set.add(channel.id);
    channelsByOrg.set(channel.organizationId, set);
  }
  return {
    rules: (org) => rulesByOrg.get(org) ?? [],
    usable: (org) => channelsByOrg.get(org) ?? NONE,
  };
}
