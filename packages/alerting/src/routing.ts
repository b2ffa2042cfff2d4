/** Which channels and escalation policies an event goes to, from the organization's rules. */

export interface RuleFields {
  events: readonly string[];
  monitorIds: readonly string[];
  tags: readonly string[];
  channelIds: readonly string[];
  escalationPolicyId: string | null;
}

export interface EventSubject {
  type: string;
  /** null for an incident opened by hand without a monitor. */
  monitorId: string | null;
  tags: readonly string[];
}

/**
 * A rule takes an event when each of its filters does; an empty filter takes everything. A rule
 * naming monitors or tags never takes an event without a monitor.
 */
export function ruleMatches(rule: Omit<RuleFields, "channelIds" | "escalationPolicyId">, subject: EventSubject) {
  if (rule.events.length > 0 && !rule.events.includes(subject.type)) return false;
  if (rule.monitorIds.length > 0 && (!subject.monitorId || !rule.monitorIds.includes(subject.monitorId))) return false;
  if (rule.tags.length > 0 && !rule.tags.some((tag) => subject.tags.includes(tag))) return false;
  return true;
}

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
