/** API.md's schedule: 6 attempts in all, the retries after 10 s, 1 min, 5 min, 30 min and 2 h. */
export const DEFAULT_RETRY_DELAYS = "10s,1m,5m,30m,2h";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+)(ms|s|m|h)$/;

/** Beyond this a retry is no longer a retry: the event is stale by then. */
const LONGEST_DELAY_MS = 24 * 3_600_000;

/**
 * Parses a comma-separated list of durations ("10s,1m,5m") into milliseconds: the waits before
 * attempts 2, 3, … Throws naming the bad entry, so a typo stops the process at start.
 */
export function parseRetryDelays(text: string): number[] {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("must list at least one delay, e.g. 10s,1m,5m");
  if (entries.length > 20) throw new Error("must list at most 20 delays");
  return entries.map((entry) => {
    const match = DURATION.exec(entry);
    if (!match) throw new Error(`"${entry}" is not a duration: use a whole number and ms, s, m or h (e.g. 30s)`);
    const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (ms > LONGEST_DELAY_MS) throw new Error(`"${entry}" is longer than 24h`);
    return ms;
  });
}

/** Attempts in all: the first one and one per delay. */
export const maxAttempts = (delays: readonly number[]) => delays.length + 1;

/** The scheduled wait after failed attempt `attempt` (1-based), or null when it was the last. */
export function scheduledDelay(delays: readonly number[], attempt: number): number | null {
  return delays[attempt - 1] ?? null;
}
