/**
 * Live updates are polls with ETags (ADR 0013): a page's queries refetch on this interval while the
 * tab is visible, every request revalidates (client.ts) and an unchanged answer is an empty 304,
 * free of the rate limit. Pages opt in with `refetchInterval: LIVE_MS`; the query client paces
 * every such interval by the rate-limit budget (app/query.ts, budget.ts), so a page left open
 * slows down before it would meet a 429.
 */
export const LIVE_MS = 3_000;
