import type { MonitorStatus } from "./generated/enums.ts";

/** A batch's columns as arrays, one statement parameter each, unnested server-side. */
export function columns<T>(rows: readonly T[], pick: { [column: string]: (row: T) => unknown }): unknown[][] {
  return Object.values(pick).map((get) => rows.map(get));
}

/** A state change as a monitor_events row: what the incident opener reads (packages/incidents). */
export interface MonitorEventRow {
  id: string;
  organizationId: string;
  monitorId: string;
  type: string;
  from: MonitorStatus;
  to: MonitorStatus;
  tick: Date;
  cause: Record<string, unknown>;
}

/** The eight parameters `insertMonitorEvents` unnests, in its order. */
export function monitorEventColumns(events: readonly MonitorEventRow[]): unknown[][] {
  return columns(events, {
    id: (e) => e.id,
    organization_id: (e) => e.organizationId,
    monitor_id: (e) => e.monitorId,
    type: (e) => e.type,
    from_status: (e) => e.from,
    to_status: (e) => e.to,
    tick: (e) => e.tick,
    cause: (e) => JSON.stringify(e.cause),
  });
}

/**
 * A data-modifying CTE's body inserting events from parameters `$first` … `$first + 7`
 * (monitorEventColumns), keeping those that pass `where` (over `e`). Events are unique per (monitor,
 * tick, type), so a change applied twice (two alerters, a redelivery) is stored once; it returns a row
 * per event inserted.
 */
export function insertMonitorEvents(first: number, where = ""): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO monitor_events (id, organization_id, monitor_id, type, from_status, to_status, tick, cause)
    SELECT e.id, e.organization_id, e.monitor_id, e.type, e.from_status::"MonitorStatus", e.to_status::"MonitorStatus",
      e.tick, e.cause::jsonb
    FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[],
      ${p(6)}::timestamptz[], ${p(7)}::text[]) AS e(id, organization_id, monitor_id, type, from_status, to_status, tick, cause)
    ${where}
    ON CONFLICT DO NOTHING
    RETURNING 1`;
}
