import { describe, expect, it } from "vitest";
import { scheduleOf } from "./schedule.ts";
import {
  applyExpiry,
  applyPing,
  deadlineFor,
  deadlineOnResume,
  type HeartbeatState,
  type PingSignal,
} from "./transitions.ts";

const T = Date.parse("2026-06-01T12:00:00.000Z");
const S = 1_000;
const MIN = 60_000;

/** Every minute, 30 s grace; runs at most 20 s, at least 2 s. */
const schedule = scheduleOf({
  intervalSeconds: 60,
  settings: { heartbeat_grace_minutes: 0.5, heartbeat_max_runtime_seconds: 20, heartbeat_min_runtime_seconds: 2 },
});

const fresh: HeartbeatState = {
  status: "pending",
  failStreak: 0,
  passStreak: 0,
  paused: false,
  lastSuccessAt: null,
  deadlineAt: null,
  openRuns: [],
};

let runs = 0;
const newRunId = () => `run_${++runs}`;

function ping(kind: PingSignal["kind"], at: number, extra: Partial<PingSignal> = {}): PingSignal {
  return { kind, at, exitCode: null, rid: null, ...extra };
}

/** Applies pings in order, collecting what each produced. */
function play(state: HeartbeatState, pings: PingSignal[]) {
  const outcomes = [];
  for (const p of pings) {
    const outcome = applyPing(schedule, state, p, newRunId);
    outcomes.push(outcome);
    state = outcome.state;
  }
  return { state, outcomes, changes: outcomes.flatMap((o) => o.changes) };
}

describe("success pings", () => {
  it("bring a new monitor up without an event, and set the deadline to next expected + grace", () => {
    const { state, changes } = play(fresh, [ping("success", T)]);
    expect(changes).toEqual([]);
    expect(state).toMatchObject({ status: "up", lastSuccessAt: T, deadlineAt: T + MIN + 30 * S, passStreak: 1 });
  });

  it("bring a down monitor up with monitor.up at the ping's instant", () => {
    const { state, changes } = play(fresh, [ping("fail", T), ping("success", T + 5 * S)]);
    expect(changes.map((c) => [c.type, c.from, c.to, c.tick])).toEqual([
      ["monitor.down", "pending", "down", T],
      ["monitor.up", "down", "up", T + 5 * S],
    ]);
    expect(state).toMatchObject({ status: "up", failStreak: 0, passStreak: 1 });
  });
});

describe("failures", () => {
  it("/fail is down at once, with no deadline while down", () => {
    const { state, changes } = play(fresh, [ping("success", T), ping("fail", T + S)]);
    expect(changes).toEqual([
      {
        type: "monitor.down",
        from: "up",
        to: "down",
        tick: T + S,
        cause: expect.objectContaining({ error: "fail" }),
      },
    ]);
    expect(state).toMatchObject({ status: "down", deadlineAt: null, lastSuccessAt: T, failStreak: 1 });
  });

  it("a non-zero exit code is down with the exit code as cause; a second failure is no new event", () => {
    const { state, changes } = play(fresh, [
      ping("success", T),
      ping("fail", T + S, { exitCode: 3 }),
      ping("fail", T + 2 * S, { exitCode: 4 }),
    ]);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.cause).toEqual({ error: "exit code 3", exit_code: 3, rid: null });
    expect(state.failStreak).toBe(2);
  });
});

describe("runs", () => {
  it("measure the duration from the matching start, and the start sets the run's deadline", () => {
    const started = play(fresh, [ping("success", T - 10 * S), ping("start", T)]);
    expect(started.state.openRuns).toEqual([{ id: expect.any(String), rid: null, startedAt: T }]);
    expect(started.state.deadlineAt).toBe(T + 20 * S);
    const finished = applyPing(schedule, started.state, ping("success", T + 5_500), newRunId);
    expect(finished.durationMs).toBe(5_500);
    expect(finished.closed).toEqual(started.state.openRuns);
    expect(finished.state.openRuns).toEqual([]);
    expect(finished.state.deadlineAt).toBe(T + 5_500 + MIN + 30 * S);
  });

  it("two overlapping runs with rids each get their own duration", () => {
    const { outcomes } = play(fresh, [
      ping("start", T, { rid: "a" }),
      ping("start", T + 3 * S, { rid: "b" }),
      ping("success", T + 8 * S, { rid: "a" }),
      ping("success", T + 9 * S, { rid: "b" }),
    ]);
    expect(outcomes.map((o) => o.durationMs)).toEqual([null, null, 8_000, 6_000]);
  });

  it("a finish without a rid closes the newest open run; one with an unknown rid measures nothing", () => {
    const { outcomes } = play(fresh, [
      ping("start", T, { rid: "a" }),
      ping("start", T + 3 * S, { rid: "b" }),
      ping("success", T + 10 * S),
      ping("success", T + 11 * S, { rid: "zzz" }),
    ]);
    expect(outcomes.map((o) => o.durationMs)).toEqual([null, null, 7_000, null]);
  });

  it("a start replaces the open run with the same rid", () => {
    const { state, outcomes } = play(fresh, [ping("start", T), ping("start", T + 5 * S)]);
    expect(outcomes[1]!.closed).toEqual([outcomes[0]!.opened]);
    expect(state.openRuns).toEqual([outcomes[1]!.opened]);
  });

  it("a run shorter than the minimum is a failure: run too short", () => {
    const { state, changes } = play(fresh, [ping("success", T - MIN), ping("start", T), ping("success", T + 1_500)]);
    expect(changes).toEqual([
      expect.objectContaining({
        type: "monitor.down",
        tick: T + 1_500,
        cause: expect.objectContaining({ error: "run too short", duration_ms: 1_500, min_runtime_seconds: 2 }),
      }),
    ]);
    expect(state.lastSuccessAt).toBe(T - MIN);
  });

  it("a failing run keeps its own cause, however short it was", () => {
    const { changes } = play(fresh, [ping("start", T), ping("fail", T + 100, { exitCode: 2 })]);
    expect(changes[0]!.cause).toMatchObject({ error: "exit code 2" });
  });
});

describe("deadlines", () => {
  it("a silent monitor is down at next expected + grace, with the cause 'missed'", () => {
    const up = play(fresh, [ping("success", T)]).state;
    expect(applyExpiry(schedule, up, T + 90 * S - 1).change).toBeNull();
    const { state, change } = applyExpiry(schedule, up, T + 91 * S);
    expect(change).toMatchObject({
      type: "monitor.down",
      from: "up",
      tick: T + 90 * S,
      cause: { error: "missed", expected_at: new Date(T + MIN).toISOString(), grace_seconds: 30 },
    });
    expect(state).toMatchObject({ status: "down", deadlineAt: null });
  });

  it("a run over its max runtime is down with 'run exceeded', and does not count again after a success", () => {
    const running = play(fresh, [ping("success", T), ping("start", T + S, { rid: "slow" })]).state;
    const { state, change } = applyExpiry(schedule, running, T + 25 * S);
    expect(change?.cause).toMatchObject({ error: "run exceeded", rid: "slow", max_runtime_seconds: 20 });
    expect(change?.tick).toBe(T + 21 * S);
    const back = play(state, [
      ping("start", T + 27 * S, { rid: "next" }),
      ping("success", T + 30 * S, { rid: "next" }),
    ]);
    expect(back.changes.map((c) => c.type)).toEqual(["monitor.up"]);
    // The abandoned run "slow" is still open but already reported: the deadline is the schedule's.
    expect(back.state.openRuns.map((r) => r.rid)).toEqual(["slow"]);
    expect(back.state.deadlineAt).toBe(T + 30 * S + MIN + 30 * S);
  });

  it("a new monitor alerts on nothing before its first ping, except a started run that overruns", () => {
    expect(deadlineFor(schedule, fresh, T)).toBeNull();
    expect(play(fresh, [ping("start", T)]).state.deadlineAt).toBe(T + 20 * S);
  });

  it("a ping after an unnoticed deadline first applies it: down at the deadline, then up", () => {
    const up = play(fresh, [ping("success", T)]).state;
    const late = applyPing(schedule, up, ping("success", T + 100 * S), newRunId);
    expect(late.changes.map((c) => [c.type, c.tick])).toEqual([
      ["monitor.down", T + 90 * S],
      ["monitor.up", T + 100 * S],
    ]);
  });
});

describe("paused monitors", () => {
  it("log pings and runs but change no status, have no deadline and raise no event", () => {
    const paused = { ...play(fresh, [ping("success", T)]).state, paused: true, deadlineAt: null };
    const { state, changes, outcomes } = play(paused, [
      ping("fail", T + S, { exitCode: 1 }),
      ping("start", T + 2 * S),
      ping("success", T + 5 * S),
    ]);
    expect(changes).toEqual([]);
    expect(outcomes[2]!.durationMs).toBe(3 * S);
    expect(state).toMatchObject({ status: "up", deadlineAt: null, lastSuccessAt: T + 5 * S });
  });

  it("on resume count the period from now when it ran out during the pause", () => {
    const up = { ...play(fresh, [ping("success", T)]).state, paused: false };
    expect(deadlineOnResume(schedule, up, T + 10 * S)).toBe(T + 90 * S);
    expect(deadlineOnResume(schedule, up, T + 10 * MIN)).toBe(T + 10 * MIN + 90 * S);
    expect(deadlineOnResume(schedule, { ...up, status: "down" }, T + 10 * MIN)).toBeNull();
  });
});
