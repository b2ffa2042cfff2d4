import { describe, expect, it } from "vitest";
import { InFlightGate } from "./gate.ts";

describe("InFlightGate", () => {
  it("admits up to the limit per channel, independently of other channels", () => {
    const gate = new InFlightGate(2);
    expect(gate.tryEnter("a")).toBe(true);
    expect(gate.tryEnter("a")).toBe(true);
    expect(gate.tryEnter("a")).toBe(false);
    expect(gate.tryEnter("b")).toBe(true);
    gate.leave("a");
    expect(gate.tryEnter("a")).toBe(true);
  });

  it("forgets a channel once nothing is in flight", () => {
    const gate = new InFlightGate(1);
    gate.tryEnter("a");
    gate.leave("a");
    expect(gate.size).toBe(0);
    gate.leave("a");
    expect(gate.size).toBe(0);
    expect(gate.tryEnter("a")).toBe(true);
  });
});
