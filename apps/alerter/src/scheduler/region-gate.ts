import type { Logger } from "@upfleet/logger";
import {
  type CheckLane,
  type CheckStream,
  type FleetRegistry,
  lanesOf,
  MAX_CHECKS_PER_ENTRY,
  regionDispatching,
  staleAt,
} from "@upfleet/queue";
import { Counter, Gauge, type Registry } from "prom-client";

/** How long a region's state is trusted before it is read again: a returning worker gets checks within it. */
const REFRESH_MS = 1_000;
/**
 * The same while every region is open with a live worker, unless a waiting check goes stale sooner:
 * the registry changes only when workers report (every 5 s), and each read is four round trips,
 * which were most of a dispatch pass's cost at low rates (issue #15).
 */
const SETTLED_REFRESH_MS = 5_000;
/**
 * How long a region must be seen without workers before it gets no checks. Workers report every 5 s,
 * and FLUSHALL empties the registry with everything else: closing at once would drop the late ticks
 * the reconciler puts back (and, at start, the ticks before the workers' first report).
 */
const EMPTY_FOR_MS = 10_000;

export interface RegionGateDeps {
  fleet: Pick<FleetRegistry, "list">;
  checks: Pick<CheckStream, "backlog">;
  logger: Logger;
  metrics: Registry;
  /** Overrides EMPTY_FOR_MS (tests). */
  emptyForMs?: number;
}

/** One of a region's checks streams: its general one, or its ping checks' (lanes.ts). */
export interface RegionStream {
  region: string;
  lane: CheckLane;
}

const streamName = ({ region, lane }: RegionStream) => (lane === "general" ? region : `${region}:${lane}`);

/**
 * Which of the regions' streams the dispatcher sends checks to: not one without a live worker reading
 * it (for ping checks, one that can send ICMP) or whose oldest waiting check is already stale (issue
 * #14: a region with no workers grew its queue without bound). Checks kept back are counted; the stream
 * gets checks again once a worker reports and the stale checks are drained. Also how many checks go in
 * one of its entries: no more than its smallest reader's concurrency shared among the streams that
 * worker reads, so a worker never holds more than that many checks waiting for a slot (check-consumer.ts).
 */
export class RegionGate {
  /** Every stream the gate has been asked about, by name (the region, or `<region>:icmp`). */
  private readonly known = new Map<string, RegionStream>();
  private readonly open = new Map<string, boolean>();
  private readonly entrySize = new Map<string, number>();
  /** Since when each stream has been seen without a live reader. */
  private readonly emptySince = new Map<string, number>();
  /** Until when the last read is trusted. */
  private trustedUntil = 0;
  private readonly withheld: Counter<"region">;
  private readonly dispatching: Gauge<"region">;

  constructor(private readonly deps: RegionGateDeps) {
    this.withheld = new Counter({
      name: "upfleet_checks_withheld_total",
      help: "Checks not dispatched because their region had no live worker (for ping checks, none that can send ICMP) or only stale checks waiting, by region",
      labelNames: ["region"] as const,
      registers: [deps.metrics],
    });
    this.dispatching = new Gauge({
      name: "upfleet_region_dispatching",
      help: "1 while the scheduler sends checks to the region, 0 while it keeps them back",
      labelNames: ["region"] as const,
      registers: [deps.metrics],
    });
  }

  /** Reads the streams' state once the last read is no longer trusted, or a stream is new to the gate. */
  async refresh(streams: Iterable<RegionStream>, now = Date.now()): Promise<void> {
    let unread = false;
    for (const stream of streams) {
      const name = streamName(stream);
      unread ||= !this.known.has(name);
      this.known.set(name, stream);
    }
    if (now < this.trustedUntil && !unread) return;
    const workers = await this.deps.fleet.list(now);
    const states = await Promise.all(
      [...this.known].map(async ([name, { region, lane }]) => {
        const { oldest } = await this.deps.checks.backlog(region, 1, lane);
        const staff = workers.filter((w) => w.region === region && lanesOf(w).includes(lane));
        const live = staff.length;
        const shares = staff.map((w) => Math.max(1, Math.floor(w.concurrency / lanesOf(w).length)));
        const smallest = Math.min(MAX_CHECKS_PER_ENTRY, ...shares);
        const open = regionDispatching(this.staffed(name, live, now), oldest, now);
        const settledUntil = !open || live === 0 ? now : oldest ? staleAt(oldest.tick, oldest.intervalMs) : Infinity;
        return { name, region, lane, live, smallest, open, settledUntil };
      }),
    );
    for (const { name, region, lane, live, smallest, open } of states) {
      this.entrySize.set(name, smallest);
      if (this.open.get(name) !== open) {
        if (open) this.deps.logger.info({ region, lane, workers: live }, "region: dispatching checks again");
        else
          this.deps.logger.warn(
            { region, lane, workers: live },
            lane === "icmp"
              ? "region: no live worker that can send ICMP, or only stale ping checks; ping checks kept back"
              : "region: no live worker or only stale checks; checks kept back",
          );
      }
      this.open.set(name, open);
      // The gauge (and its alert) follows the region's general stream: a region without a worker that can
      // ping may be meant so (PING_CHECKS=false), and GET /regions shows it as ping_dispatching.
      if (lane === "general") this.dispatching.set({ region }, open ? 1 : 0);
    }
    const settledUntil = Math.min(...states.map((state) => state.settledUntil));
    this.trustedUntil = Math.max(now + REFRESH_MS, Math.min(now + SETTLED_REFRESH_MS, settledUntil));
  }

  /** Whether the stream has a live reader, or has been without one for less than EMPTY_FOR_MS. */
  private staffed(name: string, live: number, now: number): boolean {
    if (live > 0) {
      this.emptySince.delete(name);
      return true;
    }
    const since = this.emptySince.get(name) ?? now;
    this.emptySince.set(name, since);
    return now - since < (this.deps.emptyForMs ?? EMPTY_FOR_MS);
  }

  /** Whether the stream takes checks, as last read; an unread one does. */
  isOpen(stream: RegionStream): boolean {
    return this.open.get(streamName(stream)) ?? true;
  }

  /** Checks in one of the stream's entries, as last read. */
  checksPerEntry(stream: RegionStream): number {
    return this.entrySize.get(streamName(stream)) ?? MAX_CHECKS_PER_ENTRY;
  }

  /** Counts `count` checks of `region` not dispatched. */
  keptBack(region: string, count: number): void {
    this.withheld.inc({ region }, count);
  }
}
