import { describe, expect, it } from "vitest";
import { canGrantRole, canManageUsers, effectiveScopes, SCOPES, scopesBeyondKey } from "./permissions.ts";

describe("effectiveScopes", () => {
  it("gives a session everything its role allows", () => {
    expect([...effectiveScopes("owner", null)]).toEqual([...SCOPES]);
    expect([...effectiveScopes("viewer", null)].every((s) => s.endsWith(":read"))).toBe(true);
  });

  it("intersects a key's scopes with its owner's role", () => {
    const scopes = effectiveScopes("viewer", ["monitors:read", "monitors:write"]);
    expect([...scopes]).toEqual(["monitors:read"]);
  });

  it("ignores scopes that do not exist", () => {
    expect([...effectiveScopes("owner", ["root", "monitors:read"])]).toEqual(["monitors:read"]);
  });
});

describe("user administration", () => {
  it("is for owners and admins", () => {
    expect(canManageUsers("owner")).toBe(true);
    expect(canManageUsers("admin")).toBe(true);
    expect(canManageUsers("member")).toBe(false);
    expect(canManageUsers("viewer")).toBe(false);
  });

  it("never creates a second owner and never lets members grant roles", () => {
    expect(canGrantRole("owner", "owner")).toBe(false);
    expect(canGrantRole("owner", "admin")).toBe(true);
    expect(canGrantRole("admin", "member")).toBe(true);
    expect(canGrantRole("member", "viewer")).toBe(false);
  });
});

describe("what a key may hand out", () => {
  it("is within its own scopes; a session is bounded by its role elsewhere", () => {
    expect(scopesBeyondKey({ scopes: ["keys:write", "keys:read"] }, ["keys:read"])).toEqual([]);
    expect(scopesBeyondKey({ scopes: ["keys:write"] }, ["keys:write", "monitors:write"])).toEqual(["monitors:write"]);
    expect(scopesBeyondKey(null, SCOPES)).toEqual([]);
  });
});
