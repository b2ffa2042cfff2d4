import { describe, expect, it } from "vitest";
import { hasPrefix, idAt, newId } from "./index.ts";

describe("newId", () => {
  it("is the prefix and a lower-case ULID", () => {
    const id = newId("monitor");
    expect(id).toMatch(/^mon_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(hasPrefix("monitor", id)).toBe(true);
  });

  it("is unique and sorts by creation", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("request"));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("idAt", () => {
  it("sorts above every id made before its instant and below every id made after", () => {
    const before = newId("ping");
    const at = new Date(Date.now() + 5);
    const cut = idAt("ping", at);
    while (Date.now() <= at.getTime() + 1);
    const after = newId("ping");
    expect(before < cut && cut < after).toBe(true);
    expect(cut).toMatch(/^png_[0-9a-hjkmnp-tv-z]{26}$/);
  });
});
