import { describe, expect, it } from "vitest";
import { InFlightGate } from "./gate.ts";

describe("InFlightGate", () => {
  it("admits up to the limit per channel at once, independently of other channels", async () => {
    const gate = new InFlightGate(2, 50);
    expect(await gate.enter("a")).toBe(true);
    expect(await gate.enter("a")).toBe(true);
    expect(await gate.enter("b")).toBe(true);
    expect(await gate.enter("a")).toBe(false);
  });

  it("hands a slot to the next in line when a send ends, in order", async () => {
    const gate = new InFlightGate(2, 1_000);
    await gate.enter("a");
    await gate.enter("a");
    const order: string[] = [];
    const first = gate.enter("a").then((ok) => order.push(`first ${ok}`));
    const second = gate.enter("a").then((ok) => order.push(`second ${ok}`));
    gate.leave("a");
    await first;
    expect(order).toEqual(["first true"]);
    gate.leave("a");
    await second;
    expect(order).toEqual(["first true", "second true"]);
  });

  it("refuses at once when the line is as long as the limit", async () => {
    const gate = new InFlightGate(1, 1_000);
    await gate.enter("a");
    const waiting = gate.enter("a");
    expect(await gate.enter("a")).toBe(false);
    gate.leave("a");
    expect(await waiting).toBe(true);
  });

  it("takes a longer line when told to", async () => {
    const gate = new InFlightGate(1, 1_000, 2);
    await gate.enter("a");
    const first = gate.enter("a");
    const second = gate.enter("a");
    expect(await gate.enter("a")).toBe(false);
    gate.leave("a");
    gate.leave("a");
    expect(await Promise.all([first, second])).toEqual([true, true]);
  });

  it("refuses a job that waited too long, and leaves the line without it", async () => {
    const gate = new InFlightGate(1, 30);
    await gate.enter("a");
    expect(await gate.enter("a")).toBe(false);
    gate.leave("a");
    expect(gate.size).toBe(0);
    expect(await gate.enter("a")).toBe(true);
  });

  it("forgets a channel once nothing is in flight", async () => {
    const gate = new InFlightGate(1);
    await gate.enter("a");
    gate.leave("a");
    expect(gate.size).toBe(0);
    gate.leave("a");
    expect(gate.size).toBe(0);
    expect(await gate.enter("a")).toBe(true);
  });
});
