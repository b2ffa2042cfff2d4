import type { Monitor } from "@upfleet/db";
import { nextTickAfter } from "@upfleet/monitoring";
import type { ScheduleEntry, ScheduleStore } from "@upfleet/queue";
import { DecryptError, type Keyring } from "@upfleet/secrets";
import { SCHEDULED_TYPES, toCheckSpec } from "./check-spec.ts";

export function isScheduled(monitor: Monitor): boolean {
  return !monitor.paused && monitor.deletedAt === null && SCHEDULED_TYPES.has(monitor.type);
}

/**
 * Credentials that cannot be decrypted (a key dropped from ENCRYPTION_KEY too soon) give a spec the
 * worker refuses, so the monitor is down with invalid_settings ("edit the monitor") instead of
 * stopping every other monitor's schedule.
 */
function specOf(monitor: Monitor, ring: Keyring): unknown {
  try {
    return toCheckSpec(monitor, ring);
  } catch (error) {
    if (error instanceof DecryptError) return { type: monitor.type, credentials: "cannot be decrypted" };
    throw error;
  }
}

export function toScheduleEntry(monitor: Monitor, ring: Keyring): ScheduleEntry {
  return {
    monitorId: monitor.id,
    organizationId: monitor.organizationId,
    intervalMs: monitor.intervalSeconds * 1000,
    regions: monitor.regions,
    spec: specOf(monitor, ring),
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
    private readonly ring: Keyring,
    private readonly onError: (error: unknown, monitorId: string) => void,
  ) {}

  /** `reschedule`: the tick grid changed (new, resumed, new interval), so the due time is recomputed. */
  async sync(monitor: Monitor, reschedule: boolean): Promise<void> {
    try {
      if (isScheduled(monitor)) {
        await this.store.upsert([
          { entry: toScheduleEntry(monitor, this.ring), nextDueMs: firstDue(monitor), reschedule },
        ]);
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
