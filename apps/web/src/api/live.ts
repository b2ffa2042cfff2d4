/**
 * Live updates are polls with ETags (ADR 0013): a page's queries refetch on this interval while the
 * tab is visible, every request revalidates (client.ts) and an unchanged answer is an empty 304.
 * Pages opt in with `refetchInterval: LIVE_MS`; the incident pages reuse it.
 */
export const LIVE_MS = 3_000;
