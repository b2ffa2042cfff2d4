import { describe, expect, it } from "vitest";
import { CreatePolicyBody } from "./schemas.ts";
import { stepOrderProblems } from "./steps.ts";

const steps = (...delays: number[]) => delays.map((delay_minutes) => ({ delay_minutes, channel_ids: ["chn_a"] }));

describe("stepOrderProblems", () => {
  it("accepts a first step at 0 and strictly increasing delays", () => {
    expect(stepOrderProblems(steps(0))).toEqual([]);
    expect(stepOrderProblems(steps(0, 1, 5, 1440))).toEqual([]);
  });

  it("names a first step that does not fire at once", () => {
    expect(stepOrderProblems(steps(5, 10))).toEqual([
      { path: "steps.0.delay_minutes", message: expect.stringContaining("must be 0") },
    ]);
  });

  it("names each step not after the one before it", () => {
    expect(stepOrderProblems(steps(0, 10, 10, 5, 20)).map((p) => p.path)).toEqual([
      "steps.2.delay_minutes",
      "steps.3.delay_minutes",
    ]);
    expect(stepOrderProblems(steps(0, 0))[0]?.message).toMatch(/greater than the previous step's 0/);
  });
});

describe("CreatePolicyBody", () => {
  const paths = (input: unknown) => [
    ...new Set(CreatePolicyBody.safeParse(input).error?.issues.map((issue) => issue.path.join("."))),
  ];

  it("takes 1 to 10 steps", () => {
    expect(paths({ name: "p", steps: steps(0) })).toEqual([]);
    expect(paths({ name: "p", steps: [] })).toEqual(["steps"]);
    expect(paths({ name: "p", steps: steps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) })).toEqual(["steps"]);
  });

  it("refuses negative, fractional and over-a-day delays", () => {
    expect(paths({ name: "p", steps: steps(0, -1) })).toEqual(["steps.1.delay_minutes"]);
    expect(paths({ name: "p", steps: steps(0, 1.5) })).toEqual(["steps.1.delay_minutes"]);
    expect(paths({ name: "p", steps: steps(0, 1441) })).toEqual(["steps.1.delay_minutes"]);
  });

  it("refuses a step without channels and checks the order", () => {
    expect(paths({ name: "p", steps: [{ delay_minutes: 0, channel_ids: [] }] })).toEqual(["steps.0.channel_ids"]);
    expect(paths({ name: "p", steps: steps(0, 30, 15) })).toEqual(["steps.2.delay_minutes"]);
  });

  it("drops repeated channels in a step", () => {
    const parsed = CreatePolicyBody.parse({ name: "p", steps: [{ delay_minutes: 0, channel_ids: ["a", "b", "a"] }] });
    expect(parsed.steps[0]?.channel_ids).toEqual(["a", "b"]);
  });
});
