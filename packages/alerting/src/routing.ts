import type { RoutingRule } from "@upfleet/channels";
import { type RoutedEvent, ruleMatches } from "./matcher.ts";

/** Which channels and escalation policies an event goes to, from the organization's rules. */
export type RuleFields = Pick<RoutingRule, "events" | "monitorIds" | "tags" | "channelIds" | "escalationPolicyId">;
export type EventSubject = RoutedEvent;

/**
 * The channels an event goes to: those of every matching rule, each once, and only the ones that
 * can send now (`usable`: enabled and not deleted). Sorted, so a replay builds the same rows.
 */
export function channelsFor(
  rules: readonly RuleFields[],
  subject: EventSubject,
  usable: ReadonlySet<string>,
): string[] {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (!ruleMatches(rule, subject)) continue;
    for (const id of rule.channelIds) if (usable.has(id)) ids.add(id);
  }
  return [...ids].sort();
}

/** Events that mean "this monitor's incident opened": a rule for either of them may escalate it. */
const OPENING_EVENTS = ["incident.created", "monitor.down"] as const;

/**
 * The escalation policies an opening incident runs: the monitor's own, and those of the rules that
 * take its opening (incident.created, or monitor.down for an incident a monitor opened). Each once.
 */
export function policiesFor(
  rules: readonly RuleFields[],
  subject: Omit<EventSubject, "type">,
  monitorPolicyId: string | null,
): string[] {
  const ids = new Set<string>();
  if (monitorPolicyId) ids.add(monitorPolicyId);
  const openings = subject.monitorId ? OPENING_EVENTS : OPENING_EVENTS.slice(0, 1);
  for (const rule of rules) {
    if (!rule.escalationPolicyId) continue;
    if (openings.some((type) => ruleMatches(rule, { ...subject, type }))) ids.add(rule.escalationPolicyId);
  }
  return [...ids].sort();
}

/**
 * An event older than this notifies nothing: it is a backlog or history (the events stored before
 * notifications existed), and nobody acts on a day-old page. It still counts as routed.
 */
const STALE_AFTER_MS = 24 * 3_600_000;

export const isStale = (at: Date, now: Date) => now.getTime() - at.getTime() > STALE_AFTER_MS;
