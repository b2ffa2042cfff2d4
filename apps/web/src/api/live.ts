import { pollDelay } from "./budget.ts";

/**
 * Live updates are polls with ETags (ADR 0013): a page's queries refetch on this interval while the
 * tab is visible, every request revalidates (client.ts) and an unchanged answer is an empty 304,
 * free of the rate limit.
 */
export const LIVE_MS = 3_000;

/** What pacing reads of a query: any query's data, an infinite query's pages. */
interface Polled {
  state: { data?: unknown };
}

/** Pages of an infinite query loaded so far: a refetch asks for each of them again. */
const pagesOf = (query: Polled) => (query.state.data as { pages?: unknown[] } | undefined)?.pages?.length ?? 1;

/**
 * A live query's `refetchInterval`: every `every` ms (a number, or one chosen by the pages loaded),
 * lengthened by the rate-limit budget (budget.ts) when it runs thin, so a page left open slows down
 * before it would meet a 429.
 */
export function live(every: number | ((pages: number) => number) = LIVE_MS): (query: Polled) => number {
  return (query) => {
    const pages = pagesOf(query);
    return pollDelay(typeof every === "number" ? every : every(pages), pages);
  };
}
