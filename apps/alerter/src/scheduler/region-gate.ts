import type { Logger } from "@upfleet/logger";
import { type CheckStream, type FleetRegistry, MAX_CHECKS_PER_ENTRY, regionDispatching, staleAt } from "@upfleet/queue";
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

/**
 * Which regions the dispatcher sends checks to: not one without a live worker or whose oldest waiting
 * check is already stale (issue #14: a region with no workers grew its queue without bound). Checks kept
 * back are counted; the region gets checks again once a worker reports and the stale checks are drained.
 * Also how many checks go in one of a region's entries: no more than its smallest worker's concurrency,
 * so a worker never holds more than that many checks waiting for a slot (check-consumer.ts).
 */
export class RegionGate {
  private readonly open = new Map<string, boolean>();
  private readonly entrySize = new Map<string, number>();
  /** Since when each region has been seen without a live worker. */
  private readonly emptySince = new Map<string, number>();
  /** Until when the last read is trusted. */
  private trustedUntil = 0;
  private readonly withheld: Counter<"region">;
  private readonly dispatching: Gauge<"region">;

  constructor(private readonly deps: RegionGateDeps) {
    this.withheld = new Counter({
      name: "upfleet_checks_withheld_total",
      help: "Checks not dispatched because their region had no live worker or only stale checks waiting, by region",
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

  /** Reads the regions' state once the last read is no longer trusted, or a region is new to the gate. */
  async refresh(regions: Iterable<string>, now = Date.now()): Promise<void> {
    const names = [...new Set(regions)];
    if (now < this.trustedUntil && names.every((name) => this.open.has(name))) return;
    const workers = await this.deps.fleet.list(now);
    const known = new Set([...this.open.keys(), ...names]);
    const states = await Promise.all(
      [...known].map(async (name) => {
        const { oldest } = await this.deps.checks.backlog(name);
        const staff = workers.filter((w) => w.region === name);
        const live = staff.length;
        const smallest = Math.min(MAX_CHECKS_PER_ENTRY, ...staff.map((w) => w.concurrency));
        const open = regionDispatching(this.staffed(name, live, now), oldest, now);
        const settledUntil = !open || live === 0 ? now : oldest ? staleAt(oldest.tick, oldest.intervalMs) : Infinity;
        return { name, live, smallest, open, settledUntil };
      }),
    );
    for (const { name, live, smallest, open } of states) {
      this.entrySize.set(name, smallest);
      if (this.open.get(name) !== open) {
        if (open) this.deps.logger.info({ region: name, workers: live }, "region: dispatching checks again");
        else
          this.deps.logger.warn(
            { region: name, workers: live },
            "region: no live worker or only stale checks; checks kept back",
          );
      }
      this.open.set(name, open);
      this.dispatching.set({ region: name }, open ? 1 : 0);
    }
    const settledUntil = Math.min(...states.map((state) => state.settledUntil));
    this.trustedUntil = Math.max(now + REFRESH_MS, Math.min(now + SETTLED_REFRESH_MS, settledUntil));
  }

  /** Whether the region has a live worker, or has been without one for less than EMPTY_FOR_MS. */
  private staffed(region: string, live: number, now: number): boolean {
    if (live > 0) {
      this.emptySince.delete(region);
      return true;
    }
    const since = this.emptySince.get(region) ?? now;
    this.emptySince.set(region, since);
    return now - since < (this.deps.emptyForMs ?? EMPTY_FOR_MS);
  }

  /** Whether `region` takes checks, as last read; an unread region does. */
  isOpen(region: string): boolean {
    return this.open.get(region) ?? true;
  }

  /** Checks in one of the region's entries, as last read. */
  checksPerEntry(region: string): number {
    return this.entrySize.get(region) ?? MAX_CHECKS_PER_ENTRY;
  }

  /** Counts `count` checks of `region` not dispatched. */
  keptBack(region: string, count: number): void {
    this.withheld.inc({ region }, count);
  }
}
