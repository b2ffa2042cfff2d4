/**
 * Monitor state from rounds of check results. A round is the regions' results for one tick.
 * Pure: the alerter loads the state, applies a round, stores the state and the change.
 */

export type CheckOutcome = "up" | "degraded" | "down";
export type MonitorStatus = "pending" | "up" | "degraded" | "down";

export interface MonitorState {
  status: MonitorStatus;
  /** Consecutive failing rounds. */
  failStreak: number;
  /** Consecutive passing rounds. */
  passStreak: number;
}

export interface Thresholds {
  confirmations: number;
  recoveryConfirmations: number;
}

export type StateEvent = "monitor.down" | "monitor.up" | "monitor.degraded";

export interface Transition {
  state: MonitorState;
  change: { from: MonitorStatus; to: MonitorStatus; event: StateEvent | null } | null;
}

export const INITIAL_STATE: MonitorState = { status: "pending", failStreak: 0, passStreak: 0 };

/**
 * A round fails when a majority of the regions that reported fail; a region that did not report
 * is missing, not failing. Among passing rounds, a majority slow-or-failing makes it degraded.
 * Returns null for a round where nobody reported (it tells nothing).
 */
export function roundOutcome(outcomes: readonly CheckOutcome[]): CheckOutcome | null {
  if (outcomes.length === 0) return null;
  const down = outcomes.filter((o) => o === "down").length;
  const degraded = outcomes.filter((o) => o === "degraded").length;
  if (down * 2 > outcomes.length) return "down";
  if ((down + degraded) * 2 > outcomes.length) return "degraded";
  return "up";
}

function eventFor(from: MonitorStatus, to: MonitorStatus): StateEvent | null {
  if (to === "down") return "monitor.down";
  if (from === "down") return "monitor.up";
  if (to === "degraded") return "monitor.degraded";
  if (from === "degraded") return "monitor.up";
  return null; // pending → up: the first thing we learn, not news
}

/** Applies one round's outcome: `confirmations` failing rounds to go down, `recoveryConfirmations` to come back. */
export function applyRound(state: MonitorState, outcome: CheckOutcome, thresholds: Thresholds): Transition {
  const failing = outcome === "down";
  const next: MonitorState = {
    status: state.status,
    failStreak: failing ? state.failStreak + 1 : 0,
    passStreak: failing ? 0 : state.passStreak + 1,
  };
  if (failing) {
    if (state.status !== "down" && next.failStreak >= thresholds.confirmations) next.status = "down";
  } else if (state.status === "down") {
    if (next.passStreak >= thresholds.recoveryConfirmations) next.status = outcome;
  } else {
    next.status = outcome;
  }
  if (next.status === state.status) return { state: next, change: null };
  return { state: next, change: { from: state.status, to: next.status, event: eventFor(state.status, next.status) } };
}
