import { describe, expect, it } from "vitest";
import { notModified } from "./conditional.ts";

describe("If-None-Match", () => {
  const etag = 'W/"240-abc"';

  it("matches the current tag, weakly, alone or in a list, and `*`", () => {
    expect(notModified('W/"240-abc"', etag)).toBe(true);
    expect(notModified('"240-abc"', etag)).toBe(true);
    expect(notModified('"other", W/"240-abc"', etag)).toBe(true);
    expect(notModified("*", etag)).toBe(true);
  });

  it("does not match another tag, a prefix of it, or no header", () => {
    expect(notModified('W/"240-abd"', etag)).toBe(false);
    expect(notModified('W/"240-ab"', etag)).toBe(false);
    expect(notModified(undefined, etag)).toBe(false);
    expect(notModified("", etag)).toBe(false);
  });
});
