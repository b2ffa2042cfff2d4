import type { Db } from "@upfleet/db";
import { downAfterMaintenance } from "@upfleet/incidents";
import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";
import { Counter, type Registry } from "prom-client";

export interface MaintenanceEndsOptions {
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

/**
 * Opens the incidents maintenance held back: every few seconds, for the windows that ended since
 * the last look, a monitor still down gets a monitor.down at the end (downAfterMaintenance). Every
 * alerter runs it; the events are unique per instant, so they are written once.
 */
export class MaintenanceEndWatcher extends Loop {
  private since = Date.now() - FIRST_LOOK_MS;
  private readonly opened: Counter;

  constructor(
    private readonly deps: { db: Db; logger: Logger; metrics: Registry },
    private readonly options: MaintenanceEndsOptions = {},
  ) {
    super(() => this.batch(), {
      everyMs: options.pollMs ?? 5_000,
      onError: (error) => deps.logger.error({ err: error }, "maintenance window ends not applied; retrying"),
    });
    this.opened = new Counter({
      name: "upfleet_maintenance_still_down_total",
      help: "Monitors still down when a maintenance window ended (a monitor.down written then)",
      registers: [deps.metrics],
    });
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
    return false;
  }
}
