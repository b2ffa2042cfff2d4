/**
 * The session's rate-limit budget as the API's last answer reported it (X-RateLimit-* for the
 * minute, X-RateLimit-Hour-* for the hour), so live polls pace themselves instead of running into a
 * 429 (issue #17). Every tab of a user shares one budget on the server, and every answer reports
 * it, so tabs slow each other down without talking.
 */
interface Window {
  limit: number;
  remaining: number;
  /** Epoch ms when the window resets. */
  resetsAt: number;
  lengthMs: number;
}

export interface Budget {
  windows: Window[];
  /** Epoch ms until which a 429's Retry-After asks us to wait. */
  blockedUntil: number;
}

/** What polls leave of each window for what the user does (navigating, saving, acting). */
const RESERVE = 0.25;
/** Past a window's reset, a little longer: clocks differ and the reset is a whole second. */
const SETTLE_MS = 1_000;

const current: Budget = { windows: [], blockedUntil: 0 };

function windowFrom(headers: Headers, prefix: string, lengthMs: number): Window | null {
  const limit = Number(headers.get(`${prefix}-Limit`));
  const remaining = Number(headers.get(`${prefix}-Remaining`));
  const reset = Number(headers.get(`${prefix}-Reset`));
  if (!headers.has(`${prefix}-Limit`) || !(limit > 0) || !Number.isFinite(remaining) || !(reset > 0)) return null;
  return { limit, remaining, resetsAt: reset * 1000, lengthMs };
}

/** Reads an answer's rate-limit headers into `budget` (answers without them change nothing). */
export function recordBudget(headers: Headers, status: number, now = Date.now(), budget = current): Budget {
  const windows = [
    windowFrom(headers, "X-RateLimit", 60_000),
    windowFrom(headers, "X-RateLimit-Hour", 3_600_000),
  ].filter((w): w is Window => w !== null);
  if (windows.length > 0) budget.windows = windows;
  const retryAfter = Number(headers.get("Retry-After"));
  if (status === 429 && retryAfter > 0) budget.blockedUntil = now + retryAfter * 1000;
  return budget;
}

/**
 * How long a live query waits before its next poll: `base` while polls spend no faster than an
 * even pace through each window; slower in proportion as they get ahead of it; and, when what is
 * left above the reserve cannot pay for `cost` requests (a paged list refetches every loaded page),
 * until the window resets. Answers the API gave back (a 304) do not lower `remaining`, so polls
 * that find nothing changed never slow anything down.
 */
export function pollDelay(base: number, cost = 1, now = Date.now(), budget = current): number {
  let delay = Math.max(base, budget.blockedUntil - now + SETTLE_MS);
  for (const window of budget.windows) {
    const left = window.resetsAt - now;
    if (left <= 0) continue; // a window since reset: whole again
    const reserve = Math.ceil(window.limit * RESERVE);
    const spendable = window.remaining - reserve;
    if (spendable < cost) {
      delay = Math.max(delay, left + SETTLE_MS);
      continue;
    }
    const budgetLeft = spendable / (window.limit - reserve);
    const timeLeft = Math.min(1, left / window.lengthMs);
    if (budgetLeft < timeLeft) delay = Math.max(delay, Math.min(left + SETTLE_MS, (base * timeLeft) / budgetLeft));
  }
  return Math.round(delay);
}
