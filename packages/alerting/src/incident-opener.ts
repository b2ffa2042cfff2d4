import type { Db } from "@upfleet/db";
import { processMonitorEvents } from "@upfleet/incidents";
import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";
import { Counter, type Registry } from "prom-client";

/** The net under the wake-ups: a state change nobody announced waits at most this long. */
const NET_MS = 30_000;

export interface IncidentOpenerOptions {
  /** How often to look for state changes nobody announced (the alerter's work probe announces others' within a second). */
  pollMs?: number;
  batchSize?: number;
  /** Called after each batch that consumed state changes (they are now ready to notify). */
  onProcessed?: () => void;
}

/**
 * Turns monitor state changes (monitor_events) into incidents: woken by the results consumer (and the
 * deadline and maintenance watchers) as soon as it commits a change, and by the alerter's work probe
 * for changes written elsewhere; it polls only as a slow net. One pass at a time per process; several
 * alerters share the work through the database (SKIP LOCKED), each event applied once.
 */
export class IncidentOpener extends Loop {
  private readonly incidents: Counter<"change">;

  constructor(
    private readonly deps: { db: Db; logger: Logger; metrics: Registry },
    private readonly options: IncidentOpenerOptions = {},
  ) {
    super(() => this.batch(), {
      everyMs: options.pollMs ?? NET_MS,
      onError: (error) => deps.logger.error({ err: error }, "monitor state changes not applied to incidents; retrying"),
    });
    this.incidents = new Counter({
      name: "upfleet_incident_changes_total",
      help: "Incidents opened and resolved from monitor state changes",
      labelNames: ["change"] as const,
      registers: [deps.metrics],
    });
  }

  private async batch(): Promise<boolean> {
    const report = await processMonitorEvents(this.deps.db, this.options.batchSize ?? 200);
    if (report.opened) this.incidents.inc({ change: "opened" }, report.opened);
    if (report.resolved) this.incidents.inc({ change: "resolved" }, report.resolved);
    if (report.opened || report.resolved) this.deps.logger.info(report, "incidents updated from monitor state");
    if (report.processed > 0) this.options.onProcessed?.();
    return report.processed > 0;
  }
}
