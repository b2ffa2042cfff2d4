import { describe, expect, it } from "vitest";
import { type CheckResult, detailsToStore } from "./result.ts";

const result = (status: CheckResult["status"], details: Record<string, unknown>): CheckResult => ({
  status,
  responseMs: 12,
  httpStatus: 200,
  error: status === "up" ? null : "status",
  message: null,
  timings: { total: 12 },
  details,
});

describe("the details check history keeps", () => {
  it("are none for a plain HTTP success", () => {
    const http = {
      url: "https://example.com/",
      redirects: 0,
      ip: "93.184.216.34",
      bodyBytes: 512,
      reusedConnection: true,
    };
    expect(detailsToStore(result("up", http), "wrk_1")).toBeNull();
  });

  it("keep where redirects led, DNS records and certificates on a success", () => {
    const redirected = { url: "https://example.com/home", redirects: 2, ip: "93.184.216.34", bodyBytes: 512 };
    expect(detailsToStore(result("up", redirected), "wrk_1")).toEqual({
      url: "https://example.com/home",
      redirects: 2,
    });
    const dns = { recordType: "A", resolver: "system", records: ["93.184.216.34"] };
    expect(detailsToStore(result("up", dns), "wrk_1")).toEqual(dns);
  });

  it("keep everything of a failure or a slow answer, with timings and the worker", () => {
    for (const status of ["down", "degraded"] as const) {
      expect(detailsToStore(result(status, { ip: "93.184.216.34", bodyBytes: 9 }), "wrk_1")).toEqual({
        ip: "93.184.216.34",
        bodyBytes: 9,
        timings: { total: 12 },
        worker: "wrk_1",
      });
    }
  });
});
