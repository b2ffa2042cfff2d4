import type { MonitorStatus } from "./state-machine.ts";

/** A span of time, epoch ms, start included, end excluded. */
export interface Span {
  start: number;
  end: number;
}

export interface StatusChange {
  at: number;
  to: MonitorStatus;
}

/** The total length of `spans` (sorted, disjoint) inside [from, to). */
export function coveredMs(spans: readonly Span[], from: number, to: number): number {
  return spans.reduce((sum, s) => sum + Math.max(0, Math.min(s.end, to) - Math.max(s.start, from)), 0);
}

/** The spans of [from, to) in which the status was down, from the status at `from` and the changes after it (in order). */
export function downSpans(
  initial: MonitorStatus | null,
  changes: readonly StatusChange[],
  from: number,
  to: number,
): Span[] {
  const spans: Span[] = [];
  let status = initial;
  let since = from;
  for (const change of changes) {
    if (change.at >= to) break;
    const at = Math.max(change.at, from);
    if (status === "down" && at > since) spans.push({ start: since, end: at });
    status = change.to;
    since = at;
  }
  if (status === "down" && to > since) spans.push({ start: since, end: to });
  return spans;
}

/** `spans` minus `excluded` (both sorted and disjoint): what is left of the first outside the second. */
export function subtractSpans(spans: readonly Span[], excluded: readonly Span[]): Span[] {
  const left: Span[] = [];
  for (const span of spans) {
    let start = span.start;
    for (const cut of excluded) {
      if (cut.end <= start || cut.start >= span.end) continue;
      if (cut.start > start) left.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
    }
    if (start < span.end) left.push({ start, end: span.end });
  }
  return left;
}

export interface SlaFigures {
  /** Over the time observed outside maintenance; null when none was (a monitor created after the period). */
  uptimePercent: number | null;
  downtimeMs: number;
}

/**
 * Time-based availability over [from, to): the monitor is observed from `from` (or its creation)
 * and time in maintenance counts neither as up nor as down, so it leaves both the downtime and the
 * time it is measured against.
 */
export function slaFigures(
  initial: MonitorStatus | null,
  changes: readonly StatusChange[],
  observed: Span,
  maintenance: readonly Span[],
): SlaFigures {
  const down = subtractSpans(downSpans(initial, changes, observed.start, observed.end), maintenance);
  const downtimeMs = coveredMs(down, observed.start, observed.end);
  const measuredMs = observed.end - observed.start - coveredMs(maintenance, observed.start, observed.end);
  if (measuredMs <= 0) return { uptimePercent: null, downtimeMs };
  return { uptimePercent: Math.round((1 - downtimeMs / measuredMs) * 1_000_000) / 10_000, downtimeMs };
}
