/**
 * The maintenance window form's logic. The browser's date-time inputs hold local wall time without a
 * zone; the API takes instants (ISO, UTC), so values are converted both ways in the browser's zone.
 */
import type { components } from "../../api/client.ts";

type Window = components["schemas"]["MaintenanceWindow"];
type FormValues = Record<string, string | undefined>;

const pad = (n: number) => String(n).padStart(2, "0");

/** An instant as a datetime-local input's value ("2026-12-06T10:00") in the browser's zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as an instant; what does not parse is sent as typed, for the API to name. */
export function fromLocalInput(value: string | undefined): string {
  const text = value?.trim() ?? "";
  const time = new Date(text).getTime();
  return text && Number.isFinite(time) ? new Date(time).toISOString() : text;
}

export function windowBody(values: FormValues, monitorIds: string[]): Record<string, unknown> {
  return {
    name: values.name?.trim() ?? "",
    monitor_ids: monitorIds,
    starts_at: fromLocalInput(values.starts_at),
    ends_at: fromLocalInput(values.ends_at),
    repeat: values.repeat || null,
    timezone: values.timezone?.trim() ?? "",
  };
}

/** A new window's values: the next full hour for an hour, in the browser's time zone. */
export function newWindowValues(now = Date.now()): FormValues {
  const start = Math.ceil(now / 3_600_000) * 3_600_000;
  return {
    starts_at: toLocalInput(new Date(start).toISOString()),
    ends_at: toLocalInput(new Date(start + 3_600_000).toISOString()),
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

export function windowValues(stored: Window): FormValues {
  return {
    name: stored.name,
    starts_at: toLocalInput(stored.starts_at),
    ends_at: toLocalInput(stored.ends_at),
    repeat: stored.repeat ?? "",
    timezone: stored.timezone,
  };
}
