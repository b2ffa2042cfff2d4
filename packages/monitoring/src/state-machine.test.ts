import { describe, expect, it } from "vitest";
import { applyRound, type CheckOutcome, INITIAL_STATE, type MonitorState, roundOutcome } from "./state-machine.ts";

function run(outcomes: CheckOutcome[], confirmations = 1, recoveryConfirmations = 1, start = INITIAL_STATE) {
  let state: MonitorState = start;
  const events: (string | null)[] = [];
  for (const outcome of outcomes) {
    const t = applyRound(state, outcome, { confirmations, recoveryConfirmations });
    state = t.state;
    if (t.change) events.push(t.change.event);
  }
  return { state, events };
}

describe("roundOutcome", () => {
  it("fails a round only when a majority of the reporting regions fail", () => {
    expect(roundOutcome(["down", "down", "up"])).toBe("down");
    expect(roundOutcome(["down", "up"])).toBe("up");
    expect(roundOutcome(["down"])).toBe("down");
  });

  it("counts a missing region as missing, not failing", () => {
    // Three regions expected, two reported, one of them failing: not a majority of reporters.
    expect(roundOutcome(["down", "up"])).toBe("up");
    expect(roundOutcome([])).toBeNull();
  });

  it("is degraded when a majority is slow or failing without a failing majority", () => {
    expect(roundOutcome(["degraded", "degraded", "up"])).toBe("degraded");
    expect(roundOutcome(["degraded", "down", "up"])).toBe("degraded");
    expect(roundOutcome(["degraded", "up", "up"])).toBe("up");
  });
});

describe("applyRound", () => {
  it("goes up on the first passing round, without an event", () => {
    const { state, events } = run(["up"]);
    expect(state.status).toBe("up");
    expect(events).toEqual([null]);
  });

  it("goes down after `confirmations` consecutive failing rounds", () => {
    expect(run(["up", "down", "down"], 3).state.status).toBe("up");
    const { state, events } = run(["up", "down", "down", "down"], 3);
    expect(state.status).toBe("down");
    expect(events).toEqual([null, "monitor.down"]);
  });

  it("resets the failure count on a passing round (no flapping alert)", () => {
    expect(run(["up", "down", "down", "up", "down", "down"], 3).state.status).toBe("up");
  });

  it("comes back after `recovery_confirmations` passing rounds", () => {
    const down = run(["down"]).state;
    expect(run(["up"], 1, 2, down).state.status).toBe("down");
    const { state, events } = run(["up", "up"], 1, 2, down);
    expect(state.status).toBe("up");
    expect(events).toEqual(["monitor.up"]);
  });

  it("emits degraded and back", () => {
    const { events } = run(["up", "degraded", "degraded", "up"]);
    expect(events).toEqual([null, "monitor.degraded", "monitor.up"]);
  });

  it("emits down exactly once however long the outage", () => {
    const { events } = run(["up", "down", "down", "down", "down"]);
    expect(events).toEqual([null, "monitor.down"]);
  });

  it("from pending, failing rounds wait for confirmations too", () => {
    expect(run(["down"], 2).state.status).toBe("pending");
    expect(run(["down", "down"], 2).state.status).toBe("down");
  });
});
