import { describe, expect, it } from "vitest";
import { readFilters, writeFilters } from "./filters.ts";

describe("monitor list filters in the URL", () => {
  it("round-trips through the query string", () => {
    const filters = { status: "down", type: "http", tag: "prod", q: "api" } as const;
    expect(readFilters(writeFilters(filters))).toEqual(filters);
    expect(writeFilters(filters).toString()).toBe("status=down&type=http&tag=prod&q=api");
  });

  it("drops values the API would refuse and empty ones", () => {
    expect(readFilters(new URLSearchParams("status=sideways&type=gopher&tag=%20%20&q="))).toEqual({});
    expect(readFilters(new URLSearchParams(`tag=${"x".repeat(80)}`)).tag).toHaveLength(50);
  });
});
