import { applyRound, type MonitorState, type MonitorStatus } from "@upfleet/monitoring";
import { type HeartbeatSchedule, missedAt } from "./schedule.ts";

/**
 * A heartbeat monitor's state and what pings and deadlines do to it. Pure: the recorder (API) and
 * the deadline watcher (alerter) load the state under a row lock, apply, and store the result.
 */

export type PingKind = "success" | "start" | "fail";

export interface PingSignal {
  kind: PingKind;
  /** 0 for `/0` (a success), 1–255 for a failure, null for the other paths. */
  exitCode: number | null;
  rid: string | null;
  at: number;
}

export interface OpenRun {
  id: string;
  rid: string | null;
  startedAt: number;
}

export interface HeartbeatState extends MonitorState {
  paused: boolean;
  lastSuccessAt: number | null;
  deadlineAt: number | null;
  /** Runs started and not finished, oldest first. */
  openRuns: OpenRun[];
}

export interface StateChange {
  type: "monitor.down" | "monitor.up";
  from: MonitorStatus;
  to: MonitorStatus;
  tick: number;
  cause: Record<string, unknown>;
}

/** A ping or a deadline is one round with a single region: one failure is down, one success is up. */
const IMMEDIATE = { confirmations: 1, recoveryConfirmations: 1 };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * When the monitor goes down unless a ping comes: the schedule's missed instant (once it has had a
 * success: a new monitor alerts on nothing before its first ping) or the first open run's max
 * runtime, whichever is first. Runs already past their limit at `nowMs` are left out: they were
 * reported when their instant came, and one abandoned run must not bring the monitor down again
 * after every later success. Null while paused or down.
 */
export function deadlineFor(schedule: HeartbeatSchedule, state: HeartbeatState, nowMs: number): number | null {
  if (state.paused || state.status === "down") return null;
  const candidates: number[] = [];
  if (state.lastSuccessAt !== null) candidates.push(missedAt(schedule, state.lastSuccessAt));
  if (schedule.maxRuntimeMs !== null) {
    for (const run of state.openRuns) {
      const limit = run.startedAt + schedule.maxRuntimeMs;
      if (limit > nowMs) candidates.push(limit);
    }
  }
  return candidates.length ? Math.min(...candidates) : null;
}

function transition(
  state: HeartbeatState,
  ok: boolean,
  tick: number,
  cause: Record<string, unknown>,
): { state: HeartbeatState; change: StateChange | null } {
  if (state.paused) return { state, change: null };
  const round = applyRound(state, ok ? "up" : "down", IMMEDIATE);
  const next = { ...state, ...round.state };
  const event = round.change?.event;
  if (!round.change || (event !== "monitor.down" && event !== "monitor.up")) return { state: next, change: null };
  return { state: next, change: { type: event, from: round.change.from, to: round.change.to, tick, cause } };
}

/** Why the deadline at `state.deadlineAt` came: the schedule's silence or a run over its limit. */
function expiryCause(schedule: HeartbeatSchedule, state: HeartbeatState, deadline: number): Record<string, unknown> {
  const missed = state.lastSuccessAt === null ? null : missedAt(schedule, state.lastSuccessAt);
  const overdue =
    schedule.maxRuntimeMs === null
      ? undefined
      : state.openRuns.find((run) => run.startedAt + schedule.maxRuntimeMs! === deadline);
  if (overdue && (missed === null || missed > deadline)) {
    const seconds = schedule.maxRuntimeMs! / 1000;
    return {
      error: "run exceeded",
      message: `a run started at ${iso(overdue.startedAt)} has not finished within ${seconds} s`,
      run_started_at: iso(overdue.startedAt),
      rid: overdue.rid,
      max_runtime_seconds: seconds,
    };
  }
  return {
    error: "missed",
    message: `no ping since ${state.lastSuccessAt === null ? "never" : iso(state.lastSuccessAt)}; expected by ${iso(deadline - schedule.graceMs)} + ${schedule.graceMs / 1000} s grace`,
    last_ping_at: state.lastSuccessAt === null ? null : iso(state.lastSuccessAt),
    expected_at: iso(deadline - schedule.graceMs),
    grace_seconds: schedule.graceMs / 1000,
  };
}

/**
 * The deadline has passed (`nowMs` ≥ deadlineAt): the monitor is down from the deadline's instant,
 * and has no deadline until a ping brings it up. Unchanged when there is no passed deadline.
 */
export function applyExpiry(
  schedule: HeartbeatSchedule,
  state: HeartbeatState,
  nowMs: number,
): { state: HeartbeatState; change: StateChange | null } {
  const deadline = state.deadlineAt;
  if (deadline === null || deadline > nowMs || state.paused) return { state, change: null };
  const result = transition(state, false, deadline, expiryCause(schedule, state, deadline));
  return { state: { ...result.state, deadlineAt: null }, change: result.change };
}

export interface PingOutcome {
  state: HeartbeatState;
  /** From the matching start to this finish; null for a start or a finish with no open run. */
  durationMs: number | null;
  /** The run this start opened. */
  opened: OpenRun | null;
  /** Runs this ping finished: the one it matched, or the one a start with the same rid replaced. */
  closed: OpenRun[];
  /** At most two: the deadline that had passed unnoticed, then the ping's own change. */
  changes: StateChange[];
}

/** The run a finish belongs to: the newest open one with its rid, or without a rid the newest of all. */
function matchRun(runs: OpenRun[], rid: string | null): OpenRun | undefined {
  for (let i = runs.length - 1; i >= 0; i--) if (rid === null || runs[i]!.rid === rid) return runs[i];
  return undefined;
}

function failureCause(ping: PingSignal): Record<string, unknown> {
  if (ping.exitCode !== null) {
    return { error: `exit code ${ping.exitCode}`, exit_code: ping.exitCode, rid: ping.rid };
  }
  return { error: "fail", message: "the job reported a failure (/fail)", rid: ping.rid };
}

/**
 * Applies one ping at `ping.at`. A deadline that passed before it (the watcher had not got to it
 * yet) is applied first, so a late success is a down then an up, never a silent recovery. Paused
 * monitors keep their runs and last success but change no status.
 */
export function applyPing(
  schedule: HeartbeatSchedule,
  initial: HeartbeatState,
  ping: PingSignal,
  newRunId: () => string,
): PingOutcome {
  const changes: StateChange[] = [];
  const expired = applyExpiry(schedule, initial, ping.at);
  if (expired.change) changes.push(expired.change);
  let state = expired.state;
  const closed: OpenRun[] = [];
  let opened: OpenRun | null = null;
  let durationMs: number | null = null;
  let failure: Record<string, unknown> | null = null;

  if (ping.kind === "start") {
    // A new start with the same rid (none included) replaces the run it names: cron ran it again.
    const replaced = state.openRuns.filter((run) => run.rid === ping.rid);
    closed.push(...replaced);
    opened = { id: newRunId(), rid: ping.rid, startedAt: ping.at };
    state = { ...state, openRuns: [...state.openRuns.filter((run) => run.rid !== ping.rid), opened] };
  } else {
    const run = matchRun(state.openRuns, ping.rid);
    if (run) {
      closed.push(run);
      durationMs = Math.max(0, ping.at - run.startedAt);
      state = { ...state, openRuns: state.openRuns.filter((r) => r !== run) };
    }
    if (ping.kind === "fail") {
      failure = failureCause(ping);
    } else if (schedule.minRuntimeMs !== null && durationMs !== null && durationMs < schedule.minRuntimeMs) {
      failure = {
        error: "run too short",
        message: `the run took ${durationMs} ms, less than the minimum of ${schedule.minRuntimeMs / 1000} s`,
        duration_ms: durationMs,
        min_runtime_seconds: schedule.minRuntimeMs / 1000,
        rid: ping.rid,
      };
    }
    if (failure) {
      const result = transition(state, false, ping.at, failure);
      state = result.state;
      if (result.change) changes.push(result.change);
    } else {
      const result = transition({ ...state, lastSuccessAt: ping.at }, true, ping.at, {
        error: null,
        message: "success ping",
        rid: ping.rid,
      });
      state = result.state;
      if (result.change) changes.push(result.change);
    }
  }
  state = { ...state, deadlineAt: deadlineFor(schedule, state, ping.at) };
  return { state, durationMs, opened, closed, changes };
}

/**
 * The deadline of a monitor that was just resumed: a pause must not turn into an alert the moment
 * it ends, so when the schedule's instant passed during the pause, the period counts from now.
 */
export function deadlineOnResume(schedule: HeartbeatSchedule, state: HeartbeatState, nowMs: number): number | null {
  const due = deadlineFor(schedule, state, nowMs);
  if (due === null || due > nowMs || state.lastSuccessAt === null) return due;
  return deadlineFor(schedule, { ...state, lastSuccessAt: nowMs }, nowMs);
}
