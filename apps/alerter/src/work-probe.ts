import type { Db } from "@upfleet/db";
import { type Listening, listen } from "@upfleet/db/listen";
import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";

/** What the database's triggers notify when they write work for the alerter (migration 20261206090000_work_notify). */
const WORK_CHANNEL = "upfleet_work";
/**
 * The safety net for a notification lost (sent while the LISTEN connection was down, or by a
 * trigger-less write), and for outbox rows whose job a Redis flush or a crash lost: the consumers
 * it wakes poll only as a net under this one (CONSUMER_NET_MS in alerter.ts).
 */
const SWEEP_EVERY_MS = 30_000;

export interface ProbeTargets {
  /** monitor_events no incident opener has applied (a ping's failure, another alerter's write). */
  unapplied(): void;
  /** monitor_events applied but not routed, or incident_events not routed (an incident changed in the API). */
  unrouted(): void;
  /** The earliest heartbeat deadline, passed or not: a ping in the API may have moved it. */
  deadline(at: Date): void;
  /** A maintenance window was created or edited since the last look: its end may be due sooner. */
  windowsChanged(): void;
  /**
   * Rows that should each have a job in Redis (docs/adr/0007) exist: pending notifications,
   * unfinished exports, running escalations. Their sweepers re-queue what a flush or a crash lost.
   */
  outboxPending(kinds: { delivery: boolean; export: boolean; escalation: boolean }): void;
}

interface Findings {
  unapplied: boolean;
  unrouted: boolean;
  next_deadline: Date | null;
  windows_at: Date | null;
  notifications_pending: boolean;
  exports_unfinished: boolean;
  escalations_running: boolean;
}

/**
 * Looks, in one statement outside any transaction (index probes, and the newest write of the small
 * maintenance_windows table), for the work other processes leave in PostgreSQL for the alerter (the
 * API's pings, incident changes and windows, other alerters' events), and wakes only the consumer that
 * has some. It looks when the database notifies `WORK_CHANNEL` (its triggers do on every such write),
 * when the LISTEN connection is made again, and every 30 s as the net: nothing is queried while nothing
 * is written (issue #15). Work this process makes itself wakes its consumer directly. The sweep also
 * looks for outbox rows, so an idle alerter's sweepers query nothing while there are none.
 */
export class WorkProbe extends Loop {
  readonly #databaseUrl: string;
  readonly #logger: Logger;
  #listening: Listening | undefined;
  /** Whether the LISTEN connection is up: a database outage is logged once, not every second. */
  #heard = true;

  constructor(db: Db, databaseUrl: string, logger: Logger, targets: ProbeTargets, options: { sweepMs?: number } = {}) {
    /** The newest maintenance window write seen (the first look wakes the watcher once, whatever it finds). */
    let windowsAt: number | undefined;
    const sweepMs = options.sweepMs ?? SWEEP_EVERY_MS;
    /**
     * When the sweepers were last woken: about once a sweep interval however often notifications wake
     * the probe (half of one, so a timer pass whose query was quicker than the last is not skipped).
     */
    let outboxWokenAt = Number.NEGATIVE_INFINITY;
    super(
      async () => {
        const [found] = await db.$queryRaw<Findings[]>`
          SELECT EXISTS (SELECT 1 FROM monitor_events WHERE processed_at IS NULL) AS unapplied,
                 (EXISTS (SELECT 1 FROM monitor_events WHERE notified_at IS NULL AND processed_at IS NOT NULL)
                  OR EXISTS (SELECT 1 FROM incident_events WHERE processed_at IS NULL)) AS unrouted,
                 (SELECT min(heartbeat_deadline_at) FROM monitors
                  WHERE type = 'heartbeat' AND NOT paused AND deleted_at IS NULL) AS next_deadline,
                 (SELECT max(updated_at) FROM maintenance_windows) AS windows_at,
                 EXISTS (SELECT 1 FROM notifications WHERE status = 'pending') AS notifications_pending,
                 EXISTS (SELECT 1 FROM exports WHERE status IN ('pending', 'processing')) AS exports_unfinished,
                 EXISTS (SELECT 1 FROM incident_escalations WHERE stopped_at IS NULL) AS escalations_running`;
        if (found?.unapplied) targets.unapplied();
        if (found?.unrouted) targets.unrouted();
        if (found?.next_deadline) targets.deadline(found.next_deadline);
        const at = found?.windows_at?.getTime() ?? 0;
        if (at !== windowsAt) targets.windowsChanged();
        windowsAt = at;
        const outbox = found && (found.notifications_pending || found.exports_unfinished || found.escalations_running);
        if (outbox && Date.now() - outboxWokenAt >= sweepMs / 2) {
          outboxWokenAt = Date.now();
          targets.outboxPending({
            delivery: found.notifications_pending,
            export: found.exports_unfinished,
            escalation: found.escalations_running,
          });
        }
      },
      {
        everyMs: sweepMs,
        onError: (error) => logger.error({ err: error }, "work probe failed; retrying"),
      },
    );
    this.#databaseUrl = databaseUrl;
    this.#logger = logger;
  }

  override start(): void {
    super.start();
    this.#listening = listen(this.#databaseUrl, WORK_CHANNEL, {
      notified: () => this.wake(),
      listening: () => {
        if (!this.#heard) this.#logger.info("listening for work notifications again");
        this.#heard = true;
        this.wake();
      },
      failed: (error) => {
        if (this.#heard) this.#logger.warn({ err: error }, "work notifications not heard; listening again");
        this.#heard = false;
      },
    });
  }

  override async stop(): Promise<void> {
    await this.#listening?.close();
    await super.stop();
  }
}
