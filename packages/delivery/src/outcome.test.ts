import { describe, expect, it } from "vitest";
import { classifyAttempt, parseRetryAfter, RETRY_AFTER_CAP_MS, type SendResult } from "./outcome.ts";

const NOW = Date.parse("2026-03-25T10:00:00.000Z");
const delays = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];
const classify = (result: SendResult, attempt = 1) => classifyAttempt(result, { attempt, delays, now: NOW });
const response = (status: number, retryAfter: string | null = null): SendResult => ({
  kind: "response",
  status,
  retryAfter,
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("2", NOW)).toBe(2_000);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
  });

  it("reads an HTTP date, relative to now, never negative", () => {
    expect(parseRetryAfter("Wed, 25 Mar 2026 10:01:30 GMT", NOW)).toBe(90_000);
    expect(parseRetryAfter("Wed, 25 Mar 2026 09:00:00 GMT", NOW)).toBe(0);
  });

  it("caps what a receiver may ask", () => {
    expect(parseRetryAfter("999999", NOW)).toBe(RETRY_AFTER_CAP_MS);
    expect(parseRetryAfter("Fri, 25 Mar 2050 10:00:00 GMT", NOW)).toBe(RETRY_AFTER_CAP_MS);
  });

  it.each([null, "", "-5", "1.5", "soon", "12:00"])("ignores %j", (value) => {
    expect(parseRetryAfter(value, NOW)).toBeNull();
  });
});

describe("classifyAttempt", () => {
  it("counts any 2xx as success, with nothing more to do", () => {
    for (const status of [200, 201, 202, 204, 299]) {
      expect(classify(response(status))).toEqual({
        status: "succeeded",
        responseStatus: status,
        error: null,
        retryInMs: null,
        disableReason: null,
      });
    }
    expect(classify({ kind: "accepted" }).status).toBe("succeeded");
  });

  it("retries other answers on the schedule: 10 s after attempt 1 … 2 h after attempt 5", () => {
    expect(classify(response(500), 1)).toMatchObject({ status: "failed", responseStatus: 500, retryInMs: 10_000 });
    expect(classify(response(404), 2).retryInMs).toBe(60_000);
    expect(classify(response(400), 5).retryInMs).toBe(7_200_000);
  });

  it("gives up after the 6th attempt", () => {
    expect(classify(response(500), 6)).toMatchObject({ status: "failed", retryInMs: null, error: "HTTP 500" });
  });

  it("counts a redirect as a failure, not followed, and retries it", () => {
    expect(classify(response(301))).toMatchObject({
      status: "failed",
      responseStatus: 301,
      error: expect.stringContaining("redirects are not followed"),
      retryInMs: 10_000,
    });
  });

  it("honours Retry-After on 429 and 503 only", () => {
    expect(classify(response(429, "2")).retryInMs).toBe(2_000);
    expect(classify(response(503, "Wed, 25 Mar 2026 10:05:00 GMT")).retryInMs).toBe(300_000);
    expect(classify(response(500, "2")).retryInMs).toBe(10_000);
    expect(classify(response(429, "garbage")).retryInMs).toBe(10_000);
    expect(classify(response(429, "2"), 6).retryInMs).toBeNull();
  });

  it("disables the channel on 410 Gone and stops", () => {
    expect(classify(response(410))).toMatchObject({
      status: "failed",
      responseStatus: 410,
      retryInMs: null,
      disableReason: expect.stringContaining("410"),
    });
  });

  it("retries timeouts, network errors and deferred mail", () => {
    for (const reason of ["timeout", "network", "deferred"] as const) {
      expect(classify({ kind: "error", reason, message: "x" })).toMatchObject({
        status: "failed",
        error: "x",
        retryInMs: 10_000,
        disableReason: null,
      });
    }
  });

  it("does not retry what no retry can mend", () => {
    for (const reason of ["blocked_address", "invalid_config", "not_configured", "rejected"] as const) {
      expect(classify({ kind: "error", reason, message: "x" })).toMatchObject({ status: "failed", retryInMs: null });
    }
  });
});
