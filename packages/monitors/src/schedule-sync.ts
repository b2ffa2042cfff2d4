import type { Monitor } from "@upfleet/db";
import { nextTickAfter } from "@upfleet/monitoring";
import type { ScheduleEntry, ScheduleStore } from "@upfleet/queue";
import { SCHEDULED_TYPES, toCheckSpec } from "./check-spec.ts";

export function isScheduled(monitor: Monitor): boolean {
  return !monitor.paused && monitor.deletedAt === null && SCHEDULED_TYPES.has(monitor.type);
}

export function toScheduleEntry(monitor: Monitor): ScheduleEntry {
  return {
    monitorId: monitor.id,
    organizationId: monitor.organizationId,
    intervalMs: monitor.intervalSeconds * 1000,
    regions: monitor.regions,
    spec: toCheckSpec(monitor),
    version: monitor.updatedAt.toISOString(),
  };
}

export function firstDue(monitor: Monitor, nowMs = Date.now()): number {
  return nextTickAfter(monitor.id, monitor.intervalSeconds * 1000, nowMs);
}

/**
 * Keeps Redis's schedule in step with a monitor just written to PostgreSQL. Failures are reported,
 * not thrown: the write is already committed, and the reconciler repairs Redis within a minute.
 */
export class ScheduleSync {
  constructor(
    private readonly store: ScheduleStore,
    private readonly onError: (error: unknown, monitorId: string) => void,
  ) {}

  /** `reschedule`: the tick grid changed (new, resumed, new interval), so the due time is recomputed. */
  async sync(monitor: Monitor, reschedule: boolean): Promise<void> {
    try {
      if (isScheduled(monitor)) {
        await this.store.upsert([{ entry: toScheduleEntry(monitor), nextDueMs: firstDue(monitor), reschedule }]);
      } else {
        await this.store.remove([monitor.id]);
      }
    } catch (error) {
      this.onError(error, monitor.id);
    }
  }

  async nextDue(monitorId: string): Promise<number | null> {
    try {
      return await this.store.nextDue(monitorId);
    } catch {
      return null;
    }
  }
}
