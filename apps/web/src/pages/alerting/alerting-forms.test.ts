import { describe, expect, it } from "vitest";
import type { components } from "../../api/client.ts";
import {
  CHANNEL_TYPES,
  channelBody,
  channelTarget,
  channelValues,
  configFields,
  deliveryOutcome,
  ruleBody,
  stepsBody,
} from "./alerting-forms.ts";

type Channel = components["schemas"]["NotificationChannel"];

const channel = (fields: Partial<Channel>): Channel => ({
  id: "chn_1",
  key: null,
  name: "Ops",
  type: "webhook",
  config: { url: "https://hooks.example.com/••••", secret: "whsec_••••abcd" },
  enabled: true,
  disabled_reason: null,
  created_at: "2026-12-06T10:00:00.000Z",
  updated_at: "2026-12-06T10:00:00.000Z",
  ...fields,
});

describe("channel form", () => {
  it("builds each type's create body, its config fields under config", () => {
    expect(
      channelBody("webhook", { name: " Ops ", enabled: "on", "config.url": "http://127.0.0.1:9/h" }, false),
    ).toEqual({
      type: "webhook",
      name: "Ops",
      enabled: true,
      config: { url: "http://127.0.0.1:9/h" },
    });
    expect(channelBody("email", { name: "Mail", "config.to": "a@example.com, b@example.com," }, false)).toEqual({
      type: "email",
      name: "Mail",
      enabled: false,
      config: { to: ["a@example.com", "b@example.com"] },
    });
    expect(channelBody("slack", { name: "S", "config.webhook_url": "https://hooks.slack.com/x" }, true)).toEqual({
      name: "S",
      enabled: false,
      config: { webhook_url: "https://hooks.slack.com/x" },
    });
    for (const type of CHANNEL_TYPES) expect(configFields(type).length).toBeGreaterThan(0);
  });

  it("reads a stored channel back as the form's values, masked values as shown", () => {
    const values = channelValues(channel({}));
    expect(values).toEqual({
      name: "Ops",
      enabled: "on",
      "config.url": "https://hooks.example.com/••••",
      "config.secret": "whsec_••••abcd",
    });
    expect(channelBody("webhook", values, true).config).toEqual({
      url: "https://hooks.example.com/••••",
      secret: "whsec_••••abcd",
    });
    expect(channelValues(channel({ type: "email", config: { to: ["a@example.com"] }, enabled: false }))).toEqual({
      name: "Ops",
      enabled: undefined,
      "config.to": "a@example.com",
    });
  });

  it("names where a channel sends", () => {
    expect(channelTarget(channel({}))).toBe("https://hooks.example.com/••••");
    expect(channelTarget(channel({ type: "email", config: { to: ["a@x.io", "b@x.io"] } }))).toBe("a@x.io, b@x.io");
  });
});

describe("deliveryOutcome", () => {
  const delivery = {
    id: "dlv_1",
    channel_id: "chn_1",
    incident_id: null,
    notification_id: null,
    event: "test",
    attempt: 1,
    created_at: "2026-12-06T10:00:00.000Z",
  };
  it("says the status, the receiver's answer and how long it took", () => {
    expect(
      deliveryOutcome({ ...delivery, status: "succeeded", response_status: 200, error: null, duration_ms: 12 }),
    ).toBe("succeeded: HTTP 200, in 12 ms");
    expect(
      deliveryOutcome({ ...delivery, status: "failed", response_status: null, error: "timeout", duration_ms: null }),
    ).toBe("failed: timeout");
    expect(
      deliveryOutcome({ ...delivery, status: "pending", response_status: null, error: null, duration_ms: null }),
    ).toBe("pending");
  });
});

describe("rule and policy bodies", () => {
  it("sends null for 'all' when nothing is chosen, and no policy as null", () => {
    expect(
      ruleBody({ name: "All", tags: "", escalation_policy_id: "" }, { events: [], monitorIds: [], channelIds: ["c"] }),
    ).toEqual({
      name: "All",
      events: null,
      monitor_ids: null,
      tags: null,
      channel_ids: ["c"],
      escalation_policy_id: null,
    });
    expect(
      ruleBody(
        { name: "Prod", tags: "prod, eu", escalation_policy_id: "esc_1" },
        { events: ["monitor.down"], monitorIds: ["mon_1"], channelIds: [] },
      ),
    ).toMatchObject({
      events: ["monitor.down"],
      monitor_ids: ["mon_1"],
      tags: ["prod", "eu"],
      escalation_policy_id: "esc_1",
    });
  });

  it("parses step delays, keeping what does not parse for the API to name", () => {
    expect(
      stepsBody([
        { delay: "0", channelIds: ["a"] },
        { delay: " 15 ", channelIds: ["b"] },
        { delay: "soon", channelIds: [] },
      ]),
    ).toEqual([
      { delay_minutes: 0, channel_ids: ["a"] },
      { delay_minutes: 15, channel_ids: ["b"] },
      { delay_minutes: "soon", channel_ids: [] },
    ]);
  });
});
