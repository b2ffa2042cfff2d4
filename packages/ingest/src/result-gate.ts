import type { Logger } from "@upfleet/logger";
import {
  type ProofMac,
  REJECTIONS,
  type Rejection,
  type ResultJob,
  rejectionOf,
  type StreamedResult,
} from "@upfleet/queue";
import { Counter, type Registry } from "prom-client";

const LOG_EVERY_MS = 60_000;

/** Why a result is refused: a dispatch proof's reasons, or an entry that is not a result at all. */
type Reason = Rejection | "malformed";
const REASONS: readonly Reason[] = [...REJECTIONS, "malformed"];

/**
 * The results streams' consumer, in front of the ingest. Workers write to their region's stream, so a
 * result is stored only when it came through its own region's stream and its dispatch proof names the
 * round it claims (docs/adr/0011, 0012). Anything else is dropped (and acknowledged with its batch: a
 * retry would be refused the same way), counted by reason, and logged at most once a minute per
 * reason, so a flood of forgeries cannot flood the log.
 */
export class ResultGate {
  private readonly rejected: Counter<"reason">;
  private readonly lastLogged = new Map<Reason, number>();
  private readonly unlogged = new Map<Reason, number>();

  constructor(private readonly deps: { proofs: ProofMac; logger: Logger; metrics: Registry }) {
    this.rejected = new Counter({
      name: "upfleet_results_rejected_total",
      help: "Results dropped as not answering a round the alerter dispatched, by reason",
      labelNames: ["reason"] as const,
      registers: [deps.metrics],
    });
    // Every reason shows from the start, so an alert on any increase needs no series to appear first.
    for (const reason of REASONS) this.rejected.inc({ reason }, 0);
  }

  /** The results of a batch read from the streams that may be stored; the rest are counted and dropped. */
  admit = (batch: StreamedResult[]): ResultJob[] =>
    batch.filter((item): item is StreamedResult & { result: ResultJob } => this.admits(item)).map((i) => i.result);

  private admits({ region, id, result }: StreamedResult): boolean {
    const reason = !result
      ? "malformed"
      : result.region !== region
        ? "region"
        : rejectionOf(this.deps.proofs, result, id);
    if (reason === null) return true;
    this.rejected.inc({ reason });
    const dropped = (this.unlogged.get(reason) ?? 0) + 1;
    const now = Date.now();
    if (now - (this.lastLogged.get(reason) ?? Number.NEGATIVE_INFINITY) < LOG_EVERY_MS) {
      this.unlogged.set(reason, dropped);
      return false;
    }
    this.lastLogged.set(reason, now);
    this.unlogged.delete(reason);
    this.deps.logger.warn(
      {
        reason,
        dropped,
        jobId: id,
        stream: region,
        monitorId: result?.monitorId,
        region: result?.region,
        tick: result?.tick,
        workerId: result?.workerId,
        dispatched: result?.proof?.jobId,
      },
      "results dropped: not a round the alerter dispatched",
    );
    return false;
  }
}
