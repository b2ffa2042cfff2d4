import { describe, expect, it } from "vitest";
import { type EscalationState, parseSteps, stepDueAt, stepsToFire, stepsToSchedule } from "./escalation-plan.ts";

const T = new Date("2026-03-25T10:00:00.000Z");
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
const state = (fields: Partial<EscalationState> = {}): EscalationState => ({
  steps: [
    { delay_minutes: 0, channel_ids: ["chn_a"] },
    { delay_minutes: 5, channel_ids: ["chn_b"] },
    { delay_minutes: 15, channel_ids: ["chn_c"] },
  ],
  nextStep: 0,
  startedAt: T,
  stoppedAt: null,
  ...fields,
});

describe("parseSteps", () => {
  it("keeps well-formed steps and drops the rest", () => {
    expect(
      parseSteps([
        { delay_minutes: 0, channel_ids: ["chn_a", 3] },
        { delay_minutes: -1, channel_ids: [] },
        { delay_minutes: "5", channel_ids: [] },
        null,
        { delay_minutes: 10 },
        { delay_minutes: 10, channel_ids: ["chn_b"] },
      ]),
    ).toEqual([
      { delay_minutes: 0, channel_ids: ["chn_a"] },
      { delay_minutes: 10, channel_ids: ["chn_b"] },
    ]);
    expect(parseSteps({ steps: [] })).toEqual([]);
  });
});

describe("stepDueAt", () => {
  it("counts each step's delay from the incident's start, not from the step before", () => {
    expect(stepDueAt(state(), 0)).toEqual(T);
    expect(stepDueAt(state(), 1)).toEqual(at(5));
    expect(stepDueAt(state(), 2)).toEqual(at(15));
  });
});

describe("stepsToSchedule", () => {
  it("schedules every step not fired yet, overdue ones at once", () => {
    expect(stepsToSchedule(state({ nextStep: 1 }), at(1))).toEqual([
      { step: 1, delayMs: 4 * 60_000 },
      { step: 2, delayMs: 14 * 60_000 },
    ]);
    expect(stepsToSchedule(state({ nextStep: 1 }), at(20))).toEqual([
      { step: 1, delayMs: 0 },
      { step: 2, delayMs: 0 },
    ]);
  });

  it("schedules nothing for a stopped or finished escalation", () => {
    expect(stepsToSchedule(state({ stoppedAt: at(2) }), at(3))).toEqual([]);
    expect(stepsToSchedule(state({ nextStep: 3 }), at(3))).toEqual([]);
  });
});

describe("stepsToFire", () => {
  /** What stepsToFire answers: the steps to fire now, the next step, whether it is over, and when to look again. */
  const plan = (fire: number[], nextStep: number, done = false, retryAt: Date | null = null) => ({
    fire,
    nextStep,
    done,
    retryAt,
  });

  it("fires the job's step when it is the next one and due", () => {
    expect(stepsToFire(state(), 0, T)).toEqual(plan([0], 1));
    expect(stepsToFire(state({ nextStep: 1 }), 1, at(5))).toEqual(plan([1], 2));
    expect(stepsToFire(state({ nextStep: 2 }), 2, at(16))).toEqual(plan([2], 3, true));
  });

  it("fires nothing for a step that already fired (a repeated job)", () => {
    expect(stepsToFire(state({ nextStep: 2 }), 1, at(6))).toEqual(plan([], 2));
  });

  it("catches up earlier steps whose job is late or lost, in order", () => {
    expect(stepsToFire(state({ nextStep: 1 }), 2, at(20))).toEqual(plan([1, 2], 3, true));
  });

  it("asks to run again when the job came before its step was due", () => {
    expect(stepsToFire(state({ nextStep: 1 }), 1, at(4))).toEqual(plan([], 1, false, at(5)));
    // Later steps out of order: step 2's job waits for step 1 to be due.
    const odd = state({
      steps: [
        ...state().steps.slice(0, 1),
        { delay_minutes: 10, channel_ids: [] },
        { delay_minutes: 3, channel_ids: [] },
      ],
      nextStep: 1,
    });
    expect(stepsToFire(odd, 2, at(4))).toEqual(plan([], 1, false, at(10)));
  });

  it("fires nothing once stopped", () => {
    expect(stepsToFire(state({ nextStep: 1, stoppedAt: at(1) }), 1, at(6))).toEqual(plan([], 1));
  });
});
