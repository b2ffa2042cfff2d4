import type { CheckJob } from "./jobs.ts";

/**
 * A region's checks travel on two streams (docs/adr/0014): ping checks on one of their own, read only
 * by the workers that can send ICMP, every other check on the one every worker reads. A worker that
 * cannot ping is then never handed a ping check, and a region with no worker that can gets none.
 */
export const CHECK_LANES = ["general", "icmp"] as const;
export type CheckLane = (typeof CHECK_LANES)[number];

/** The lane a check travels on: ping checks need a worker that can send ICMP; the rest, any worker. */
export function laneOf(check: Pick<CheckJob, "spec">): CheckLane {
  return check.spec.type === "ping" ? "icmp" : "general";
}

/** A pass's checks of one region, by the lane each goes on. */
export function byLane(checks: readonly CheckJob[]): Map<CheckLane, CheckJob[]> {
  const lanes = new Map<CheckLane, CheckJob[]>();
  for (const check of checks) {
    const lane = laneOf(check);
    const same = lanes.get(lane);
    if (same) same.push(check);
    else lanes.set(lane, [check]);
  }
  return lanes;
}

/** The lanes a worker reads: both when it can send ICMP, the general one otherwise. */
export function lanesOf(worker: { icmp: boolean }): CheckLane[] {
  return worker.icmp ? [...CHECK_LANES] : ["general"];
}
