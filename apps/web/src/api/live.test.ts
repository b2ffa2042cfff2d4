import { describe, expect, it } from "vitest";
import { LIVE_MS, live } from "./live.ts";

const query = (data?: unknown) => ({ state: { data } });
const pages = (n: number) => query({ pages: Array.from({ length: n }, () => ({ data: [] })) });

describe("live", () => {
  it("polls every LIVE_MS by default, or at the interval a page asks for, while the budget is whole", () => {
    expect(live()(query({ id: "m" }))).toBe(LIVE_MS);
    expect(live()(query())).toBe(LIVE_MS);
    expect(live(LIVE_MS * 10)(query({ id: "m" }))).toBe(LIVE_MS * 10);
  });

  it("chooses the interval by the pages an infinite query has loaded", () => {
    const byPages = live((loaded) => (loaded <= 5 ? LIVE_MS : LIVE_MS * 10));
    expect(byPages(pages(1))).toBe(LIVE_MS);
    expect(byPages(pages(5))).toBe(LIVE_MS);
    expect(byPages(pages(6))).toBe(LIVE_MS * 10);
    // A query with no data yet counts as one page.
    expect(byPages(query())).toBe(LIVE_MS);
  });
});
