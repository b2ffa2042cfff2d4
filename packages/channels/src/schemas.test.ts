import { describe, expect, it } from "vitest";
import { CreateChannelBody, CreateRuleBody, ruleTargetProblems } from "./schemas.ts";

const issues = (
  schema: { safeParse(v: unknown): { error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  v: unknown,
) => (schema.safeParse(v).error?.issues ?? []).map((issue) => ({ path: issue.path.join("."), message: issue.message }));

describe("CreateChannelBody", () => {
  it("names the types an unknown or missing type may take", () => {
    for (const body of [{ name: "x", type: "sms", config: {} }, { name: "x" }]) {
      expect(issues(CreateChannelBody, body)).toEqual([
        { path: "type", message: "must be one of webhook, slack, discord, email" },
      ]);
    }
  });

  it("refuses another type's config field by name", () => {
    const paths = issues(CreateChannelBody, {
      name: "x",
      type: "discord",
      config: { url: "https://discord.com/api/webhooks/1/t" },
    }).map((i) => i.path);
    expect(paths.sort()).toEqual(["config", "config.webhook_url"]);
  });

  it("takes any secret of 16+ printable characters, and a whsec_ one only with its base64 key", () => {
    const hook = (secret: string) => ({ name: "x", type: "webhook", config: { url: "https://example.com", secret } });
    expect(issues(CreateChannelBody, hook("0123456789abcdef"))).toEqual([]);
    expect(issues(CreateChannelBody, hook(`whsec_${Buffer.alloc(24, 7).toString("base64")}`))).toEqual([]);
    expect(issues(CreateChannelBody, hook(`whsec_${Buffer.alloc(8, 7).toString("base64")}`))[0]?.path).toBe(
      "config.secret",
    );
    expect(issues(CreateChannelBody, hook("with spaces in the secret"))[0]?.path).toBe("config.secret");
  });

  it("drops repeated email addresses and defaults enabled to true", () => {
    const parsed = CreateChannelBody.parse({
      name: "x",
      type: "email",
      config: { to: ["a@example.com", "b@example.com", "a@example.com"] },
    });
    expect(parsed).toEqual({
      key: null,
      name: "x",
      type: "email",
      config: { to: ["a@example.com", "b@example.com"] },
      enabled: true,
    });
  });
});

describe("rules", () => {
  it("need a channel or a policy", () => {
    expect(ruleTargetProblems({ channel_ids: [], escalation_policy_id: null })).toEqual([
      { path: "channel_ids", message: expect.stringContaining("at least one channel or an escalation_policy_id") },
    ]);
    expect(ruleTargetProblems({ channel_ids: ["chn_a"], escalation_policy_id: null })).toEqual([]);
    expect(ruleTargetProblems({ channel_ids: [], escalation_policy_id: "esc_a" })).toEqual([]);
  });

  it("default every filter to null (all) and refuse an empty list, pointing at null", () => {
    expect(CreateRuleBody.parse({ name: "r", channel_ids: ["chn_a"] })).toEqual({
      key: null,
      name: "r",
      events: null,
      monitor_ids: null,
      tags: null,
      channel_ids: ["chn_a"],
      escalation_policy_id: null,
    });
    for (const field of ["events", "monitor_ids", "tags"]) {
      expect(issues(CreateRuleBody, { name: "r", channel_ids: ["chn_a"], [field]: [] })).toEqual([
        { path: field, message: expect.stringContaining("use null") },
      ]);
    }
  });
});
