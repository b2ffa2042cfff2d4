import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@upfleet/logger";
import { nextTickAfter } from "@upfleet/monitoring";
import {
  byLane,
  type CheckJob,
  type CheckStream,
  type DueEntry,
  type FleetRegistry,
  type ProofMac,
  proveDispatch,
  type ScheduleStore,
} from "@upfleet/queue";
import { Counter, type Registry } from "prom-client";
import { RegionGate, type RegionStream } from "./region-gate.ts";

const BATCH = 2_000;
/** The least wait between passes that were not full: at scale, what is due gathers into batches. */
const MIN_WAIT_MS = 100;
/**
 * Waits up to this long are a plain timer. Longer ones block on the schedule's change announcements
 * (ScheduleStore.waitForChange), so a monitor created or rescheduled meanwhile is seen at once; a
 * shorter one may see it up to this late.
 */
const TIMER_ONLY_MS = 1_000;
/** The longest wait, with nothing scheduled: the net for a lost announcement (issue #15). */
const MAX_WAIT_MS = 30_000;
/** After a failed pass, the next one is this soon (what was due is still due). */
const RETRY_MS = 1_000;
/** How often a standby looks whether it holds the lease now: a timer, no Redis command (the lease is renewed elsewhere). */
const STANDBY_WAIT_MS = 1_000;

export interface DispatcherDeps {
  store: ScheduleStore;
  /** The regions' checks streams (`<prefix>:checks:<region>`). */
  checks: CheckStream;
  logger: Logger;
  metrics: Registry;
  /** Whether this process may dispatch now (it holds the leader lock). */
  isLeader(): boolean;
  /** The live workers: a region with none gets no checks (see RegionGate). */
  fleet: Pick<FleetRegistry, "list">;
  /** Signs each job's dispatch proof, which its result must carry back (docs/adr/0011). */
  proofs: ProofMac;
  /** How long a region may be seen without workers before it gets no checks (tests shorten it). */
  emptyForMs?: number;
}

/** The tick after the one just dispatched; when far behind (an outage), skip to the next tick ahead. */
function followingTick(due: DueEntry, nowMs: number): number {
  const next = due.dueMs + due.entry.intervalMs;
  return next > nowMs - due.entry.intervalMs ? next : nextTickAfter(due.entry.monitorId, due.entry.intervalMs, nowMs);
}

/**
 * The one writer of checks: takes what is due from the schedule, adds one check per region to the
 * region's stream (the pass's checks of a region go as few entries, docs/adr/0014), then moves each
 * monitor to its next tick, in the same Lua script as the adds. Add-then-advance makes it
 * at-least-once: an add Redis refuses moves nothing, and the same rounds are added again on the next
 * pass; ingest stores each round once. A region that cannot take checks (no
 * live worker, only stale checks waiting) is skipped and counted.
 */
export class Dispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly dispatched: Counter<"region">;
  private readonly gate: RegionGate;
  /** When the next monitor falls due, as the last pass saw it (null: nothing scheduled). */
  private nextDueMs: number | null = null;

  constructor(private readonly deps: DispatcherDeps) {
    this.dispatched = new Counter({
      name: "upfleet_checks_dispatched_total",
      help: "Checks added to the regions' streams, by region",
      labelNames: ["region"] as const,
      registers: [deps.metrics],
    });
    this.gate = new RegionGate(deps);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.deps.store.stopWaiting();
    await this.loop;
  }

  /** One pass: dispatches what is due at `nowMs`; returns how many monitors it handled. */
  async dispatchDue(nowMs = Date.now()): Promise<number> {
    const { due, nextDueMs } = await this.deps.store.takeDue(nowMs, BATCH);
    this.nextDueMs = nextDueMs;
    if (due.length === 0) return 0;
    const byRegion = new Map<string, CheckJob[]>();
    for (const { entry, dueMs } of due) {
      for (const region of entry.regions) {
        const round = {
          monitorId: entry.monitorId,
          organizationId: entry.organizationId,
          region,
          tick: dueMs,
          intervalMs: entry.intervalMs,
        };
        const checks = byRegion.get(region) ?? [];
        checks.push({ ...round, spec: entry.spec, proof: proveDispatch(this.deps.proofs, round) });
        byRegion.set(region, checks);
      }
    }
    // Ping checks go on a stream of their own, gated by the region's workers that can send ICMP (lanes.ts).
    const streams: (RegionStream & { checks: CheckJob[] })[] = [...byRegion].flatMap(([region, checks]) =>
      [...byLane(checks)].map(([lane, laneChecks]) => ({ region, lane, checks: laneChecks })),
    );
    await this.gate.refresh(streams);
    const open = streams.filter((stream) => this.gate.isOpen(stream));
    for (const { region, checks } of streams.filter((stream) => !open.includes(stream))) {
      this.gate.keptBack(region, checks.length);
    }
    const adds = open.flatMap((stream) =>
      this.deps.checks.entries(stream.region, stream.checks, this.gate.checksPerEntry(stream)),
    );
    const moves = due.map((d) => ({ monitorId: d.entry.monitorId, fromMs: d.dueMs, toMs: followingTick(d, nowMs) }));
    // The checks and the schedule's advance go in one script, checks first (ScheduleStore.advance).
    await this.deps.store.advance(moves, adds);
    for (const { region, checks } of open) this.dispatched.inc({ region }, checks.length);
    // The peek saw only what was due after `nowMs` before these moved: their next ticks count too.
    this.nextDueMs = Math.min(this.nextDueMs ?? Number.POSITIVE_INFINITY, ...moves.map((m) => m.toMs));
    return due.length;
  }

  /** Waits until the next due tick seen, or a change of the schedule, within bounds. */
  private async idle(): Promise<void> {
    if (!this.deps.isLeader()) return sleep(STANDBY_WAIT_MS);
    const untilDue = this.nextDueMs === null ? MAX_WAIT_MS : this.nextDueMs - Date.now();
    const wait = Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, untilDue));
    if (wait <= TIMER_ONLY_MS) return sleep(wait);
    await this.deps.store.waitForChange(wait);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      if (this.deps.isLeader()) {
        try {
          handled = await this.dispatchDue();
        } catch (error) {
          this.deps.logger.error({ err: error }, "dispatch failed; retrying");
          this.nextDueMs = Date.now() + RETRY_MS;
        }
      }
      // A full batch means more is due right now; otherwise wait for the next due tick, within bounds.
      if (handled < BATCH && this.running) await this.idle();
    }
  }
}
