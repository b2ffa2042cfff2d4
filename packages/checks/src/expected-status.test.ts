import { describe, expect, it } from "vitest";
import { expectedStatusSchema, matchesExpectedStatus, parseExpectedStatus } from "./expected-status.ts";

describe("parseExpectedStatus", () => {
  it.each([
    ["200-299", [[200, 299]]],
    ["200", [[200, 200]]],
    [
      "200,301",
      [
        [200, 200],
        [301, 301],
      ],
    ],
    [
      "200-299,418",
      [
        [200, 299],
        [418, 418],
      ],
    ],
    [
      " 200 - 204 , 301 ",
      [
        [200, 204],
        [301, 301],
      ],
    ],
    ["100-599", [[100, 599]]],
  ] as const)("parses %j", (text, ranges) => {
    expect(parseExpectedStatus(text)).toEqual(ranges);
  });

  it.each([
    "",
    ",",
    "200,",
    "2xx",
    "20",
    "2000",
    "099",
    "600",
    "299-200",
    "200-",
    "-299",
    "200--299",
    "200;301",
    "abc",
    "200 301",
    "1e2",
  ])("rejects %j", (text) => {
    expect(parseExpectedStatus(text)).toBeNull();
    expect(expectedStatusSchema.safeParse(text).success).toBe(false);
  });

  it("rejects absurdly long lists", () => {
    expect(parseExpectedStatus(Array(60).fill("200").join(","))).toBeNull();
  });
});

describe("matchesExpectedStatus", () => {
  const ranges = parseExpectedStatus("200-299,418")!;
  it.each([
    [200, true],
    [250, true],
    [299, true],
    [418, true],
    [199, false],
    [300, false],
    [417, false],
    [500, false],
  ] as const)("%i → %s", (status, expected) => {
    expect(matchesExpectedStatus(ranges, status)).toBe(expected);
  });
});

describe("expectedStatusSchema", () => {
  it("accepts valid strings unchanged and explains invalid ones", () => {
    expect(expectedStatusSchema.parse("200,301")).toBe("200,301");
    const result = expectedStatusSchema.safeParse("2xx");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("200-299");
  });
});
