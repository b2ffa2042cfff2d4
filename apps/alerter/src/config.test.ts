import { ConfigError, parseEnv } from "@upfleet/config";
import { describe, expect, it } from "vitest";
import { ALERTER_HEALTH_PORT, AlerterEnv } from "./config.ts";

describe("alerter configuration", () => {
  it("requires ENCRYPTION_KEY in production (it opens channel secrets and monitor credentials)", () => {
    expect(() => parseEnv(AlerterEnv, { NODE_ENV: "production" })).toThrow(/ENCRYPTION_KEY: is required/);
  });

  it("works on a fresh machine with no variables set", () => {
    expect(parseEnv(AlerterEnv, {})).toMatchObject({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/upfleet",
      REDIS_URL: "redis://127.0.0.1:6379",
      HEALTH_PORT: ALERTER_HEALTH_PORT,
      PUBLIC_URL: "http://localhost:3000",
      OUTBOUND_ALLOW_CIDRS: [],
      NOTIFICATION_RETRY_DELAYS: [10_000, 60_000, 300_000, 1_800_000, 7_200_000],
    });
  });

  it.each([
    ["DATABASE_URL", "mysql://db/upfleet"],
    ["DATABASE_POOL_SIZE", "ten"],
    ["REDIS_URL", "127.0.0.1:6379"],
    ["HEALTH_PORT", "abc"],
    ["LOG_LEVEL", "loud"],
    ["PUBLIC_URL", "ftp://example.com"],
    ["OUTBOUND_ALLOW_CIDRS", "localhost"],
    ["NOTIFICATION_RETRY_DELAYS", "10 seconds"],
    ["SMTP_URL", "mail.example.com"],
    ["RETENTION_SCHEDULE", "every hour"],
    ["RETENTION_CHECK_DAYS", "0"],
    ["RETENTION_PLANS", '{"team": {"check_days": "long"}}'],
  ])("rejects %s=%s naming the variable", (name, value) => {
    expect(() => parseEnv(AlerterEnv, { [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv(AlerterEnv, { [name]: value })).toThrow(name);
  });
});
