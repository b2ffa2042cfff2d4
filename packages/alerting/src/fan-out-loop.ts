import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";
import { Counter, type Registry } from "prom-client";
import { type AlertingQueues, fanOutOnce } from "./fan-out.ts";

/** The net under the wake-ups: an event nobody announced waits at most this long. */
const NET_MS = 30_000;

export interface NotificationFanOutOptions {
  pollMs?: number;
  batchSize?: number;
}

/**
 * Turns monitor state changes (once the incident opener applied them) and incident events into
 * notifications and queues them: woken by the opener's passes, and by the alerter's work probe for
 * the incident events the API writes; it polls only as a slow net. Several alerters share the work
 * through the database, each event routed once.
 */
export class NotificationFanOut extends Loop {
  private readonly created: Counter;

  constructor(
    private readonly deps: { db: Db; logger: Logger; metrics: Registry; queues: AlertingQueues },
    private readonly options: NotificationFanOutOptions = {},
  ) {
    super(() => this.batch(), {
      everyMs: options.pollMs ?? NET_MS,
      onError: (error) => deps.logger.error({ err: error }, "events not routed to notifications; retrying"),
    });
    this.created = new Counter({
      name: "upfleet_notifications_created_total",
      help: "Notifications created from monitor state changes, incident events and escalation openings",
      registers: [deps.metrics],
    });
  }

  private async batch(): Promise<boolean> {
    const { db, queues, logger } = this.deps;
    const report = await fanOutOnce(db, queues, logger, this.options.batchSize ?? 100);
    if (report.notifications) {
      this.created.inc(report.notifications);
      logger.info(report, "notifications created");
    }
    return report.processed > 0;
  }
}
