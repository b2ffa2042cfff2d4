import { ConfigError, parseEnv } from "@upfleet/config";
import { describe, expect, it } from "vitest";
import { ALERTER_HEALTH_PORT, AlerterEnv } from "./config.ts";

describe("alerter configuration", () => {
  it("works on a fresh machine with no variables set", () => {
    expect(parseEnv(AlerterEnv, {})).toMatchObject({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/upfleet",
      REDIS_URL: "redis://127.0.0.1:6379",
      HEALTH_PORT: ALERTER_HEALTH_PORT,
    });
  });

  it.each([
    ["DATABASE_URL", "mysql://db/upfleet"],
    ["REDIS_URL", "127.0.0.1:6379"],
    ["HEALTH_PORT", "abc"],
    ["LOG_LEVEL", "loud"],
  ])("rejects %s=%s naming the variable", (name, value) => {
    expect(() => parseEnv(AlerterEnv, { [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv(AlerterEnv, { [name]: value })).toThrow(name);
  });
});
