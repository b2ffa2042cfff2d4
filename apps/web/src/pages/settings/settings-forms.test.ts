import { API_KEY_SCOPES } from "@upfleet/sdk";
import { describe, expect, it } from "vitest";
import { keyRequest, scopesLabel } from "./settings-forms.ts";

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
};

describe("keyRequest", () => {
  it("sends the ticked scopes and an expiry that many days ahead", () => {
    const now = Date.parse("2026-12-06T10:00:00.000Z");
    expect(
      keyRequest(
        form([
          ["name", "deploy"],
          ["scopes", "monitors:read"],
          ["scopes", "monitors:write"],
          ["expires_in_days", "30"],
        ]),
        now,
      ),
    ).toEqual({ name: "deploy", scopes: ["monitors:read", "monitors:write"], expires_at: "2027-01-05T10:00:00.000Z" });
  });

  it("leaves scopes out when none is ticked: the API grants every scope of the creator", () => {
    const request = keyRequest(form([["name", "ci"]]), 0);
    expect(request).not.toHaveProperty("scopes");
    expect(request.expires_at).toBe(new Date(365 * 86_400_000).toISOString());
  });
});

describe("scopesLabel", () => {
  it("says all for a key with every scope, else lists them", () => {
    expect(scopesLabel([...API_KEY_SCOPES].reverse())).toBe("all");
    expect(scopesLabel(["monitors:read", "fleet:read"])).toBe("monitors:read, fleet:read");
  });
});
