import { describe, expect, it } from "vitest";
import { snakeCaseKeys } from "./history.ts";

describe("check details as the API shows them", () => {
  it("renames every key to snake_case, at every depth, and leaves values alone", () => {
    expect(
      snakeCaseKeys({
        bodyBytes: 12,
        url: "https://example.com/fooBar",
        timings: { total: 40, firstByte: 30 },
        steps: [{ name: "logIn", httpStatus: 200, responseMs: 12 }],
        failedStep: null,
        days_left: 3,
      }),
    ).toEqual({
      body_bytes: 12,
      url: "https://example.com/fooBar",
      timings: { total: 40, first_byte: 30 },
      steps: [{ name: "logIn", http_status: 200, response_ms: 12 }],
      failed_step: null,
      days_left: 3,
    });
  });
});
