import type { CheckSpec } from "@upfleet/checks/contracts";
import type { Monitor } from "@upfleet/db";
import { StoredDataError } from "@upfleet/errors";
import { nextTickAfter } from "@upfleet/monitoring";
import type { ScheduleEntry, ScheduleStore } from "@upfleet/queue";
import { DecryptError, type Keyring } from "@upfleet/secrets";
import { SCHEDULED_TYPES, toCheckSpec } from "./check-spec.ts";

export function isScheduled(monitor: Monitor): boolean {
  return !monitor.paused && monitor.deletedAt === null && SCHEDULED_TYPES.has(monitor.type);
}

/** Why a scheduled monitor has no check to run, or null when the error is no such reason. */
function unrunnableReason(error: unknown): string | null {
  if (error instanceof DecryptError) return `credentials cannot be decrypted: ${error.message}`;
  if (error instanceof StoredDataError) return error.details.map((d) => `${d.path}: ${d.message}`).join("; ");
  return null;
}

/**
 * A monitor whose check cannot be built (credentials under a key dropped from ENCRYPTION_KEY too
 * soon, settings stored before a rule existed) gets the unrunnable spec: it is down with
 * invalid_settings ("edit the monitor") instead of stopping every other monitor's schedule.
 */
function specOf(monitor: Monitor, ring: Keyring): CheckSpec {
  try {
    const spec = toCheckSpec(monitor, ring);
    if (spec) return spec;
    return unrunnable(monitor, `${monitor.type} monitors are not checked by the workers`);
  } catch (error) {
    const reason = unrunnableReason(error);
    if (reason === null) throw error;
    return unrunnable(monitor, reason);
  }
}

const unrunnable = (monitor: Monitor, reason: string): CheckSpec => ({
  type: "unrunnable",
  reason: reason.slice(0, 2_000),
  timeoutMs: monitor.timeoutMs,
});

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
