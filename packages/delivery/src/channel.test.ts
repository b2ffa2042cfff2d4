import { describe, expect, it } from "vitest";
import { channelTarget } from "./channel.ts";

describe("channelTarget", () => {
  it("reads each type's target from its stored config, extra fields ignored", () => {
    expect(channelTarget("webhook", { url: "https://hooks.example.com/x", later: true })).toEqual({
      type: "webhook",
      url: "https://hooks.example.com/x",
      secret: null,
    });
    expect(channelTarget("slack", { webhook_url: "https://hooks.slack.com/a" })).toEqual({
      type: "slack",
      url: "https://hooks.slack.com/a",
    });
    expect(channelTarget("email", { to: ["ops@example.com"] })).toEqual({ type: "email", to: ["ops@example.com"] });
  });

  it("says why a stored channel cannot be sent to instead of throwing", () => {
    expect(channelTarget("pager", {})).toEqual({ error: 'Unknown channel type "pager"' });
    expect(channelTarget("toString", {})).toEqual({ error: 'Unknown channel type "toString"' });
    expect(channelTarget("webhook", { url: "ftp://x" })).toEqual({
      error: "The webhook channel's config is invalid (url)",
    });
    expect(channelTarget("email", null)).toEqual({ error: "The email channel's config is invalid ((config))" });
  });
});
