import type { RoutingRule } from "@upfleet/channels";

/** What a rule is matched against: the event's type, and the monitor it is about with its tags. */
export interface RoutedEvent {
  type: string;
  /** Null for events about no monitor (a manual incident without one, export.completed). */
  monitorId: string | null;
  tags: readonly string[];
}

const all = (list: readonly string[] | null): list is null => list === null || list.length === 0;

/**
 * A rule matches when every filter it sets does: the event type is one of `events`, the monitor is
 * one of `monitorIds`, and the monitor carries at least one of `tags`. A rule limited to monitors or
 * tags never matches an event about no monitor. Empty lists count as null, as they are stored.
 */
export function ruleMatches(rule: Pick<RoutingRule, "events" | "monitorIds" | "tags">, event: RoutedEvent): boolean {
  if (!all(rule.events) && !(rule.events as readonly string[]).includes(event.type)) return false;
  if (!all(rule.monitorIds) && (event.monitorId === null || !rule.monitorIds.includes(event.monitorId))) return false;
  if (!all(rule.tags) && (event.monitorId === null || !rule.tags.some((tag) => event.tags.includes(tag)))) return false;
  return true;
}
