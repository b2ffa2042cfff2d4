import type { Db } from "@upfleet/db";
import { expireDeadlines, nextDeadline } from "@upfleet/heartbeats";
import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";
import { Counter, Histogram, type Registry } from "prom-client";

export interface DeadlineWatcherOptions {
  /**
   * The safety net: how often to look for passed deadlines nobody announced with `armAt` (the work
   * probe does when notified and every 30 s) and no timer was set for.
   */
  pollMs?: number;
  batchSize?: number;
  /** Called after a batch wrote state changes (the incident opener takes them from there). */
  onStateChange?: () => void;
}

/** While the next deadline's monitor is held by a ping batch's write, look again this soon. */
const BUSY_RETRY_MS = 50;
const NET_MS = 60_000;

/**
 * Turns passed heartbeat deadlines into down states. The deadlines live in PostgreSQL (indexed), so
 * an alerter restart or a Redis flush misses none: whichever alerter looks next applies them, each
 * once (SKIP LOCKED, events unique per instant). A timer is set for the earliest deadline known,
 * after each pass and whenever `armAt` hears of an earlier one, so a deadline is applied within
 * milliseconds and nothing is queried while none is due; the slow poll is the net.
 */
export class DeadlineWatcher extends Loop {
  private readonly downs: Counter;
  private readonly lateness: Histogram;

  constructor(
    private readonly deps: { db: Db; logger: Logger; metrics: Registry },
    private readonly options: DeadlineWatcherOptions = {},
  ) {
    super(() => this.batch(), {
      everyMs: options.pollMs ?? NET_MS,
      onError: (error) => deps.logger.error({ err: error }, "heartbeat deadlines not applied; retrying"),
    });
    this.downs = new Counter({
      name: "upfleet_heartbeat_deadlines_expired_total",
      help: "Heartbeat deadlines that passed without a ping",
      registers: [deps.metrics],
    });
    this.lateness = new Histogram({
      name: "upfleet_heartbeat_deadline_lateness_seconds",
      help: "How long after its deadline a silent heartbeat monitor was marked down",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [deps.metrics],
    });
  }

  /** A deadline at `at` exists (perhaps moved earlier by a ping): wake for it, unless already set to wake sooner. */
  armAt(at: Date): void {
    this.wakeAt(dueAt(at.getTime()));
  }

  private async batch(): Promise<boolean> {
    const limit = this.options.batchSize ?? 500;
    const report = await expireDeadlines(this.deps.db, { limit });
    if (report.expired) {
      this.downs.inc(report.expired);
      for (const ms of report.latenessMs) this.lateness.observe(ms / 1000);
      this.deps.logger.info({ expired: report.expired, events: report.events }, "heartbeat deadlines passed");
    }
    if (report.events) this.options.onStateChange?.();
    if (report.expired >= limit) return true;
    await this.armForNext();
    return false;
  }

  private async armForNext(): Promise<void> {
    const next = await nextDeadline(this.deps.db);
    this.forgetWake();
    if (next) this.wakeAt(dueAt(next.getTime()));
  }
}

/** A deadline still there after it passed is held by a ping batch's write: look again shortly, not at once. */
function dueAt(deadline: number): number {
  const now = Date.now();
  return deadline > now ? deadline : now + BUSY_RETRY_MS;
}
