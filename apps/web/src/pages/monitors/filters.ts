/** The monitors list's filters, kept in the URL so a filtered list is a link and back/forward restore it. */

export const STATUSES = ["up", "degraded", "down", "pending", "paused"] as const;
export const TYPES = ["http", "tcp", "dns", "ping", "ssl", "heartbeat", "api"] as const;

export interface MonitorFilters {
  status?: (typeof STATUSES)[number];
  type?: (typeof TYPES)[number];
  tag?: string;
  q?: string;
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

/** Unknown or empty values are dropped: a hand-edited URL never makes a request the API refuses. */
export function readFilters(params: URLSearchParams): MonitorFilters {
  const filters: MonitorFilters = {};
  const status = oneOf(STATUSES, params.get("status"));
  const type = oneOf(TYPES, params.get("type"));
  const tag = params.get("tag")?.trim().slice(0, 50);
  const q = params.get("q")?.trim().slice(0, 100);
  if (status) filters.status = status;
  if (type) filters.type = type;
  if (tag) filters.tag = tag;
  if (q) filters.q = q;
  return filters;
}

export function writeFilters(filters: MonitorFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["status", "type", "tag", "q"] as const) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  return params;
}
