import type { Db } from "@upfleet/db";
import { downAfterMaintenance } from "@upfleet/incidents";
import type { Logger } from "@upfleet/logger";
import { occurrencesEndedBetween } from "@upfleet/maintenance";
import { Loop } from "@upfleet/runtime";
import { Counter, type Registry } from "prom-client";

export interface MaintenanceEndsOptions {
  /** The net: how often to look without a window's end being due (it also looks ahead this far). */
  pollMs?: number;
  /** Called after a pass wrote state changes (the incident opener takes them from there). */
  onStateChange?: () => void;
}

/** The first pass looks back a day: a restart misses no window's end, and older ones would not notify anyway. */
const FIRST_LOOK_MS = 24 * 3_600_000;
/**
 * Later passes look again this far back: a round can be decided after its interval (a region
 * missing), so a monitor may turn out down at a window's end a while after the end was first seen.
 */
const SETTLE_MS = 15 * 60_000;
const NET_MS = 30_000;

/**
 * Opens the incidents maintenance held back: for the windows that ended since the last look, a
 * monitor still down gets a monitor.down at the end (downAfterMaintenance). Each pass looks ahead
 * for the next end and sets a timer for it, so an end is applied within milliseconds and nothing is
 * queried until one is due; `windowsChanged` (the work probe saw a window written) looks ahead
 * again, `stateChanged` looks again while an end is recent enough for a monitor to turn out down at
 * it, and the slow poll is the net. Every alerter runs it; the events are unique per instant, so
 * they are written once.
 */
export class MaintenanceEndWatcher extends Loop {
  private since = Date.now() - FIRST_LOOK_MS;
  /** The latest end the last pass saw, at or before its look (−∞: none within SETTLE_MS). */
  private lastEndAt = Number.NEGATIVE_INFINITY;
  private readonly netMs: number;
  private readonly opened: Counter;

  constructor(
    private readonly deps: { db: Db; logger: Logger; metrics: Registry },
    private readonly options: MaintenanceEndsOptions = {},
  ) {
    super(() => this.batch(), {
      everyMs: options.pollMs ?? NET_MS,
      onError: (error) => deps.logger.error({ err: error }, "maintenance window ends not applied; retrying"),
    });
    this.netMs = options.pollMs ?? NET_MS;
    this.opened = new Counter({
      name: "upfleet_maintenance_still_down_total",
      help: "Monitors still down when a maintenance window ended (a monitor.down written then)",
      registers: [deps.metrics],
    });
  }

  /** A window was created or edited: its end may come before the timer set. */
  windowsChanged(): void {
    this.wake();
  }

  /**
   * A monitor's state changed (a round or a deadline decided, here or in another process): a change
   * decided just after a window's end may leave the monitor down at it, which only a later look
   * opens. Outside SETTLE_MS of an end there is nothing for a look to find, so nothing is queried.
   */
  stateChanged(): void {
    if (Date.now() - this.lastEndAt < SETTLE_MS) this.wake();
  }

  private async batch(): Promise<boolean> {
    const now = Date.now();
    const written = await downAfterMaintenance(this.deps.db, new Date(this.since), new Date(now));
    this.since = now - SETTLE_MS;
    if (written) {
      this.opened.inc(written);
      this.deps.logger.info({ events: written }, "monitors still down after maintenance");
      this.options.onStateChange?.();
    }
    await this.armForNextEnd(now);
    return false;
  }

  /** Remembers the latest end behind (for `stateChanged`) and sets a timer for the next one ahead. */
  private async armForNextEnd(now: number): Promise<void> {
    const around = await occurrencesEndedBetween(this.deps.db, new Date(now - SETTLE_MS), new Date(now + this.netMs));
    const ends = around.map((o) => o.end.getTime());
    this.lastEndAt = Math.max(...ends.filter((end) => end <= now));
    const next = Math.min(...ends.filter((end) => end > now));
    this.forgetWake();
    if (Number.isFinite(next)) this.wakeAt(next);
  }
}
