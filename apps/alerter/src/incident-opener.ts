import type { Db } from "@upfleet/db";
import { processMonitorEvents } from "@upfleet/incidents";
import type { Logger } from "@upfleet/logger";
import { Counter, type Registry } from "prom-client";

export interface IncidentOpenerOptions {
  /** How often to look for state changes nobody announced (another alerter's, or missed). */
  pollMs?: number;
  batchSize?: number;
}

/**
 * Turns monitor state changes (monitor_events) into incidents: polls, and is woken by the results
 * consumer as soon as it commits a change. One pass at a time per process; several alerters share
 * the work through the database (SKIP LOCKED), each event applied once.
 */
export class IncidentOpener {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastErrorLog = 0;
  private readonly incidents: Counter<"change">;

  constructor(
    private readonly deps: { db: Db; logger: Logger; metrics: Registry },
    private readonly options: IncidentOpenerOptions = {},
  ) {
    this.incidents = new Counter({
      name: "upfleet_incident_changes_total",
      help: "Incidents opened and resolved from monitor state changes",
      labelNames: ["change"] as const,
      registers: [deps.metrics],
    });
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 500);
    this.wake();
  }

  /** Runs a pass now, or right after the one under way (which may have missed the newest events). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Batches until none is left: a monitor's next event only qualifies once the one before is done. */
  private async drain(): Promise<void> {
    try {
      while (!this.stopped) {
        const report = await processMonitorEvents(this.deps.db, this.options.batchSize ?? 200);
        if (report.opened) this.incidents.inc({ change: "opened" }, report.opened);
        if (report.resolved) this.incidents.inc({ change: "resolved" }, report.resolved);
        if (report.opened || report.resolved) this.deps.logger.info(report, "incidents updated from monitor state");
        if (report.processed === 0) return;
      }
    } catch (error) {
      // Retried every pass; while the database is down, once every 10 s in the log is enough.
      if (Date.now() - this.lastErrorLog < 10_000) return;
      this.lastErrorLog = Date.now();
      this.deps.logger.error({ err: error }, "monitor state changes not applied to incidents; retrying");
    }
  }
}
