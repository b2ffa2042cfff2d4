import type { Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";

/** An http monitor as tests seed it straight into the database; `fields` override any column. */
export function monitorRow(
  organizationId: string,
  fields: Partial<Prisma.MonitorUncheckedCreateInput> = {},
): Prisma.MonitorUncheckedCreateInput {
  return {
    id: newId("monitor"),
    organizationId,
    name: "Website",
    type: "http",
    settings: { url: "https://example.com" },
    intervalSeconds: 60,
    timeoutMs: 5_000,
    regions: ["local"],
    tags: [],
    ...fields,
  };
}

export type StateChange = "monitor.down" | "monitor.up" | "monitor.degraded";

/**
 * A state change with the cause the results ingest writes for it: a down round failing (HTTP 503)
 * in every one of `regions`, an up or degraded one passing in all of them.
 */
export function stateChangeRow(
  organizationId: string,
  monitorId: string,
  type: StateChange,
  tick: Date,
  regions: string[] = ["local"],
): Prisma.MonitorEventUncheckedCreateInput {
  const down = type === "monitor.down";
  return {
    id: newId("event"),
    organizationId,
    monitorId,
    type,
    fromStatus: down ? "up" : "down",
    toStatus: down ? "down" : type === "monitor.up" ? "up" : "degraded",
    tick,
    cause: {
      error: down ? "status" : null,
      http_status: down ? 503 : 200,
      response_ms: 80,
      message: null,
      region: regions[0] ?? null,
      failing_regions: down ? regions : [],
      reporting_regions: regions,
      missing_regions: [],
    },
  };
}

/** A one-off maintenance window over `monitorIds`, from `startsAt` to `endsAt`. */
export function maintenanceWindowRow(
  organizationId: string,
  monitorIds: string[],
  startsAt: Date,
  endsAt: Date,
): Prisma.MaintenanceWindowUncheckedCreateInput {
  return { id: newId("maintenanceWindow"), organizationId, name: "upgrade", monitorIds, startsAt, endsAt };
}
