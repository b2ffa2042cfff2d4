import { createOutboundGuard } from "@upfleet/outbound";
import { afterAll, describe, expect, it } from "vitest";
import { checkResultSchema, checkSpecSchema, createCheckRunner } from "./index.ts";

describe("the unrunnable check", () => {
  const runner = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: [] }) });
  afterAll(() => runner.close());

  it("is a down result with invalid_settings and the reason its monitor's check could not be built", async () => {
    const spec = checkSpecSchema.parse({ type: "unrunnable", reason: "host: is not a host name", timeoutMs: 1_000 });
    expect(checkResultSchema.parse(await runner.run(spec))).toMatchObject({
      status: "down",
      error: "invalid_settings",
      message: "The monitor's settings cannot be checked (host: is not a host name); edit the monitor",
    });
  });
});
