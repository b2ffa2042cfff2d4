import { ValidationError } from "@upfleet/errors";
import { generateKeyringText, parseKeyring } from "@upfleet/secrets";
import { describe, expect, it } from "vitest";
import { openSettings, sealSettings, shownSettings } from "./credentials.ts";

const ring = parseKeyring(generateKeyringText("test"));
const TOKEN = "Bearer 0123456789abcdef-wxyz";

const settings = () => ({
  url: "https://admin:hunter2@example.com/health",
  http_headers: { Authorization: TOKEN, "X-Team": "ops" },
  api_check_steps: [{ name: "login", url: "https://bot:pw@api.example.com/{{path}}", headers: { "X-Key": "key-1" } }],
});

describe("monitor credentials", () => {
  it("are stored masked and encrypted, shown masked, and opened for the check only", () => {
    const sealed = sealSettings(settings(), ring);
    const text = JSON.stringify(sealed);
    for (const secret of ["hunter2", "0123456789abcdef", "key-1", "bot:pw", "ops"]) expect(text).not.toContain(secret);
    expect(shownSettings(sealed)).toEqual({
      url: "https://••••@example.com/health",
      http_headers: { Authorization: "••••wxyz", "X-Team": "••••" },
      api_check_steps: [{ name: "login", url: "https://••••@api.example.com/{{path}}", headers: { "X-Key": "••••" } }],
    });
    expect(openSettings(sealed, ring)).toEqual(settings());
  });

  it("masks settings written before encryption at rest", () => {
    expect(shownSettings(settings()).http_headers).toEqual({ Authorization: "••••wxyz", "X-Team": "••••" });
  });

  it("keep their values when sent back masked and refuse a masked value that is not the stored one", () => {
    const stored = sealSettings(settings(), ring);
    const edited = { ...shownSettings(stored), http_headers: { Authorization: "••••wxyz", "X-Team": "dev" } };
    expect(openSettings(sealSettings(edited, ring, stored), ring)).toEqual({
      ...settings(),
      http_headers: { Authorization: TOKEN, "X-Team": "dev" },
    });
    const wrong = { ...edited, http_headers: { Authorization: "••••" } };
    expect(() => sealSettings(wrong, ring, stored)).toThrow(ValidationError);
  });

  it("are not kept when their URL now points elsewhere: the value must be sent again", () => {
    const stored = sealSettings(settings(), ring);
    const moved = { ...shownSettings(stored), url: "https://attacker.example.net/health" };
    expect(() => sealSettings(moved, ring, stored)).toThrow(ValidationError);
    const step = shownSettings(stored);
    (step.api_check_steps as { url: string }[])[0]!.url = "https://elsewhere.example.net/{{path}}";
    expect(() => sealSettings(step, ring, stored)).toThrow(ValidationError);
    const resent = {
      ...moved,
      url: "https://attacker.example.net/health",
      http_headers: { Authorization: "new", "X-Team": "x" },
    };
    expect(openSettings(sealSettings(resent, ring, stored), ring).http_headers).toEqual({
      Authorization: "new",
      "X-Team": "x",
    });
    const samePlace = { ...shownSettings(stored), url: "https://••••@example.com/other-path" };
    expect(openSettings(sealSettings(samePlace, ring, stored), ring).http_headers).toEqual(settings().http_headers);
  });
});
