import { describe, expect, it } from "vitest";
import { classifyCode, errorCode, failure } from "./classify.ts";
import { upOrDegraded } from "./executor.ts";

describe("classifyCode", () => {
  it.each([
    ["EBLOCKED", "blocked_address"],
    ["ETIMEDOUT", "timeout"],
    ["ENOTFOUND", "dns"],
    ["EAI_AGAIN", "dns"],
    ["ECONNREFUSED", "connection_refused"],
    ["ECONNRESET", "connection_reset"],
    ["EPIPE", "connection_reset"],
    ["ERR_TOO_MANY_REDIRECTS", "too_many_redirects"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls"],
    ["SELF_SIGNED_CERT_IN_CHAIN", "tls"],
    ["CERT_HAS_EXPIRED", "tls"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "tls"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tls"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "tls"],
    ["EPROTO", "tls"],
    ["HPE_INVALID_CONSTANT", "invalid_response"],
    ["ERR_HTTP_CONTENT_LENGTH_MISMATCH", "invalid_response"],
    ["EHOSTUNREACH", "unknown"],
    [undefined, "unknown"],
  ] as const)("%s → %s", (code, expected) => {
    expect(classifyCode(code)).toBe(expected);
  });
});

describe("errorCode", () => {
  it("finds the code through wrappers and happy-eyeballs AggregateErrors", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(errorCode(new AggregateError([refused]))).toBe("ECONNREFUSED");
    expect(errorCode(new Error("x", { cause: refused }))).toBe("ECONNREFUSED");
    expect(errorCode(new Error("plain"))).toBeUndefined();
    expect(errorCode("a string")).toBeUndefined();
  });
});

describe("failure", () => {
  const idle = new AbortController().signal;

  it("reports a deadline stop as a timeout whatever the error says", () => {
    const deadline = AbortSignal.abort();
    expect(
      failure(new Error("This operation was aborted."), { timeoutMs: 500, deadline, signal: deadline }),
    ).toMatchObject({ status: "down", error: "timeout", message: "No answer within 500 ms" });
  });

  it("reports a caller's cancel as unknown, not as the target's fault", () => {
    const signal = AbortSignal.abort();
    expect(failure(new Error("aborted"), { timeoutMs: 500, deadline: idle, signal })).toMatchObject({
      error: "unknown",
      message: "Check cancelled before it finished",
    });
  });

  it("keeps the code in details", () => {
    const error = Object.assign(new Error("getaddrinfo ENOTFOUND x.example"), { code: "ENOTFOUND" });
    expect(failure(error, { timeoutMs: 500, deadline: idle, signal: idle })).toMatchObject({
      error: "dns",
      message: "getaddrinfo ENOTFOUND x.example",
      details: { code: "ENOTFOUND" },
    });
  });
});

describe("upOrDegraded", () => {
  it.each([
    [100, null, "up"],
    [100, 100, "up"],
    [101, 100, "degraded"],
  ] as const)("%i ms against %s → %s", (ms, threshold, status) => {
    expect(upOrDegraded(ms, threshold).status).toBe(status);
  });
});
