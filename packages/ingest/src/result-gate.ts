import type { Logger } from "@upfleet/logger";
import { type ProofMac, REJECTIONS, type Rejection, type ResultJob, rejectionOf } from "@upfleet/queue";
import { Counter, type Registry } from "prom-client";

const LOG_EVERY_MS = 60_000;

/**
 * The results queue's consumer, in front of the ingest. Workers can write to that queue, so a result
 * is stored only when its dispatch proof names the round it claims (docs/adr/0011). Anything else is
 * dropped (the job completes: a retry would be refused the same way), counted by reason, and logged
 * at most once a minute per reason, so a flood of forgeries cannot flood the log.
 */
export class ResultGate {
  private readonly rejected: Counter<"reason">;
  private readonly lastLogged = new Map<Rejection, number>();
  private readonly unlogged = new Map<Rejection, number>();

  constructor(
    private readonly deps: { proofs: ProofMac; logger: Logger; metrics: Registry },
    private readonly store: (result: ResultJob) => Promise<void>,
  ) {
    this.rejected = new Counter({
      name: "upfleet_results_rejected_total",
      help: "Results dropped as not answering a round the alerter dispatched, by reason",
      labelNames: ["reason"] as const,
      registers: [deps.metrics],
    });
    // Every reason shows from the start, so an alert on any increase needs no series to appear first.
    for (const reason of REJECTIONS) this.rejected.inc({ reason }, 0);
  }

  /** Handler for the results queue: `job.id` is the id the result was queued under. */
  handle = async (result: ResultJob, job: { id?: string }): Promise<void> => {
    const reason = rejectionOf(this.deps.proofs, result, job.id);
    if (reason === null) return this.store(result);
    this.rejected.inc({ reason });
    const dropped = (this.unlogged.get(reason) ?? 0) + 1;
    const now = Date.now();
    if (now - (this.lastLogged.get(reason) ?? Number.NEGATIVE_INFINITY) < LOG_EVERY_MS) {
      this.unlogged.set(reason, dropped);
      return;
    }
    this.lastLogged.set(reason, now);
    this.unlogged.delete(reason);
    const { monitorId, region, tick, workerId, proof } = result;
    this.deps.logger.warn(
      { reason, dropped, jobId: job.id, monitorId, region, tick, workerId, dispatched: proof?.jobId },
      "results dropped: not a round the alerter dispatched",
    );
  };
}
