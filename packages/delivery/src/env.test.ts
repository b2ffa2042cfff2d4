import { describe, expect, it } from "vitest";
import { z } from "zod";
import { deliveryEnv } from "./env.ts";

const Env = z.object(deliveryEnv);

describe("delivery environment", () => {
  it("defaults to API.md's retry schedule and no SMTP", () => {
    expect(Env.parse({})).toEqual({
      NOTIFICATION_RETRY_DELAYS: [10_000, 60_000, 300_000, 1_800_000, 7_200_000],
      SMTP_URL: undefined,
      SMTP_FROM: undefined,
    });
    expect(Env.parse({ SMTP_URL: "", NOTIFICATION_RETRY_DELAYS: "" }).SMTP_URL).toBeUndefined();
  });

  it("reads each variable", () => {
    expect(
      Env.parse({
        NOTIFICATION_RETRY_DELAYS: "200ms,1s",
        SMTP_URL: "smtp://user:pass@127.0.0.1:2525",
      }),
    ).toMatchObject({
      NOTIFICATION_RETRY_DELAYS: [200, 1_000],
      SMTP_URL: "smtp://user:pass@127.0.0.1:2525",
    });
  });

  it.each([
    ["NOTIFICATION_RETRY_DELAYS", "10,1m"],
    ["SMTP_URL", "http://mail.example.com"],
    ["SMTP_URL", "smtp:"],
  ])("refuses %s=%s with a message", (name, value) => {
    const result = Env.safeParse({ [name]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([name]);
    expect(result.error?.issues[0]?.message).toMatch(/\S/);
  });
});
