import { StoredDataError } from "@upfleet/errors";
import { describe, expect, it } from "vitest";
import { HEARTBEAT_DEFAULTS, parseHeartbeatSettings } from "./settings.ts";

describe("parseHeartbeatSettings", () => {
  it("fills the defaults of fields a row was written without, and ignores other types' fields", () => {
    expect(parseHeartbeatSettings(null)).toEqual(HEARTBEAT_DEFAULTS);
    expect(parseHeartbeatSettings({ heartbeat_grace_minutes: 0.5, url: "https://example.com/" })).toEqual({
      ...HEARTBEAT_DEFAULTS,
      heartbeat_grace_minutes: 0.5,
    });
  });

  it("makes a row with bad heartbeat fields a StoredDataError naming them", () => {
    expect(() => parseHeartbeatSettings({ heartbeat_grace_minutes: "5" })).toThrow(
      expect.objectContaining({
        name: "StoredDataError",
        details: [expect.objectContaining({ path: "heartbeat_grace_minutes" })],
      }),
    );
    expect(() => parseHeartbeatSettings("5 minutes")).toThrow(StoredDataError);
  });
});
