import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";

/** Often enough that an event the API wrote is applied within a second, once a second at most (issue #15). */
const PROBE_EVERY_MS = 1_000;

export interface ProbeTargets {
  /** monitor_events no incident opener has applied (a ping's failure, another alerter's write). */
  unapplied(): void;
  /** monitor_events applied but not routed, or incident_events not routed (an incident changed in the API). */
  unrouted(): void;
  /** The earliest heartbeat deadline, passed or not: a ping in the API may have moved it. */
  deadline(at: Date): void;
  /** A maintenance window was created or edited since the last look: its end may be due sooner. */
  windowsChanged(): void;
}

interface Findings {
  unapplied: boolean;
  unrouted: boolean;
  next_deadline: Date | null;
  windows_at: Date | null;
}

/**
 * Looks once a second, in one statement outside any transaction (index probes, and the newest write
 * of the small maintenance_windows table), for the work other processes leave in PostgreSQL for the
 * alerter (the API's pings, incident changes and windows, other alerters' events), and wakes only the
 * consumer that has some. It replaces the incident opener's, the fan-out's, the deadline watcher's
 * (each a transaction every 500 ms) and the maintenance watcher's (5 s) own polls, which are now slow
 * safety nets; work this process makes itself wakes its consumer directly.
 */
export class WorkProbe extends Loop {
  constructor(db: Db, logger: Logger, targets: ProbeTargets) {
    /** The newest maintenance window write seen (the first look wakes the watcher once, whatever it finds). */
    let windowsAt: number | undefined;
    super(
      async () => {
        const [found] = await db.$queryRaw<Findings[]>`
          SELECT EXISTS (SELECT 1 FROM monitor_events WHERE processed_at IS NULL) AS unapplied,
                 (EXISTS (SELECT 1 FROM monitor_events WHERE notified_at IS NULL AND processed_at IS NOT NULL)
                  OR EXISTS (SELECT 1 FROM incident_events WHERE processed_at IS NULL)) AS unrouted,
                 (SELECT min(heartbeat_deadline_at) FROM monitors
                  WHERE type = 'heartbeat' AND NOT paused AND deleted_at IS NULL) AS next_deadline,
                 (SELECT max(updated_at) FROM maintenance_windows) AS windows_at`;
        if (found?.unapplied) targets.unapplied();
        if (found?.unrouted) targets.unrouted();
        if (found?.next_deadline) targets.deadline(found.next_deadline);
        const at = found?.windows_at?.getTime() ?? 0;
        if (at !== windowsAt) targets.windowsChanged();
        windowsAt = at;
      },
      { everyMs: PROBE_EVERY_MS, onError: (error) => logger.error({ err: error }, "work probe failed; retrying") },
    );
  }
}
