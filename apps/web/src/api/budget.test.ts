import { describe, expect, it } from "vitest";
import { type Budget, pollDelay, recordBudget } from "./budget.ts";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const S = 1000;

/** An answer's headers: the minute's window ending `minuteLeft` ms from NOW, and the hour's. */
function answer(remaining: number, minuteLeft: number, hour?: { remaining: number; left: number }): Headers {
  const headers = new Headers({
    "X-RateLimit-Limit": "60",
    "X-RateLimit-Remaining": String(remaining),
    "X-RateLimit-Reset": String((NOW + minuteLeft) / 1000),
  });
  if (hour) {
    headers.set("X-RateLimit-Hour-Limit", "1000");
    headers.set("X-RateLimit-Hour-Remaining", String(hour.remaining));
    headers.set("X-RateLimit-Hour-Reset", String((NOW + hour.left) / 1000));
  }
  return headers;
}

const budgetAfter = (headers: Headers, status = 200): Budget =>
  recordBudget(headers, status, NOW, { windows: [], blockedUntil: 0 });

describe("pollDelay", () => {
  it("polls at the page's pace with no budget known, or while spending no faster than an even pace", () => {
    expect(pollDelay(3 * S, 1, NOW, { windows: [], blockedUntil: 0 })).toBe(3 * S);
    // Half the minute gone, half the spendable budget (45 above the reserve of 15) left.
    expect(pollDelay(3 * S, 1, NOW, budgetAfter(answer(15 + 23, 30 * S)))).toBe(3 * S);
    expect(pollDelay(3 * S, 1, NOW, budgetAfter(answer(60, 60 * S, { remaining: 1000, left: 3600 * S })))).toBe(3 * S);
  });

  it("slows down in proportion as polls get ahead of an even pace through the window", () => {
    // 45 s of the minute left (¾) but a third of the spendable budget: ¾ ÷ ⅓ = 2.25 times slower.
    expect(pollDelay(3 * S, 1, NOW, budgetAfter(answer(15 + 15, 45 * S)))).toBe(6750);
    // The hour behind an even pace slows polls as well, whatever the minute has left.
    expect(pollDelay(3 * S, 1, NOW, budgetAfter(answer(60, 60 * S, { remaining: 250 + 375, left: 3600 * S })))).toBe(
      6 * S,
    );
  });

  it("waits for the window's reset when what is left above the reserve cannot pay for the poll", () => {
    expect(pollDelay(3 * S, 1, NOW, budgetAfter(answer(15, 40 * S)))).toBe(41 * S);
    // A paged list refetching 5 pages needs 5.
    expect(pollDelay(3 * S, 5, NOW, budgetAfter(answer(19, 40 * S)))).toBe(41 * S);
    expect(pollDelay(3 * S, 4, NOW, budgetAfter(answer(19, 40 * S)))).toBeLessThan(41 * S);
  });

  it("treats a window past its reset as whole again", () => {
    expect(pollDelay(3 * S, 1, NOW + 41 * S, budgetAfter(answer(0, 40 * S)))).toBe(3 * S);
  });

  it("waits out a 429's Retry-After", () => {
    const headers = answer(0, 20 * S);
    headers.set("Retry-After", "20");
    expect(pollDelay(3 * S, 1, NOW, budgetAfter(headers, 429))).toBe(21 * S);
  });

  it("keeps what it knew from answers without rate-limit headers", () => {
    const budget = budgetAfter(answer(15, 40 * S));
    recordBudget(new Headers(), 200, NOW, budget);
    expect(pollDelay(3 * S, 1, NOW, budget)).toBe(41 * S);
  });
});
