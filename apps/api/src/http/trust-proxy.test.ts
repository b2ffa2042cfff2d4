import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, parseTrustProxy } from "./trust-proxy.ts";

const from = (socket: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: socket },
    connection: { remoteAddress: socket },
    headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded },
  }) as unknown as IncomingMessage;

describe("TRUST_PROXY", () => {
  it("trusts no proxy by default: the socket's address, whatever the header says", () => {
    for (const value of ["", "false"]) {
      expect(clientAddress(from("10.0.0.2", "203.0.113.9"), parseTrustProxy(value))).toBe("10.0.0.2");
    }
  });

  it("takes the client from X-Forwarded-For behind a trusted proxy, and only then", () => {
    const trust = parseTrustProxy("loopback, 10.0.0.0/8");
    expect(clientAddress(from("127.0.0.1", "203.0.113.9"), trust)).toBe("203.0.113.9");
    expect(clientAddress(from("10.1.2.3", "198.51.100.1, 203.0.113.9"), trust)).toBe("203.0.113.9");
    // A client cannot name itself: its own address is not a trusted proxy.
    expect(clientAddress(from("192.0.2.7", "203.0.113.9"), trust)).toBe("192.0.2.7");
  });

  it("trusts a number of hops", () => {
    expect(clientAddress(from("192.0.2.7", "198.51.100.1, 203.0.113.9"), parseTrustProxy("1"))).toBe("203.0.113.9");
    expect(clientAddress(from("192.0.2.7", "198.51.100.1, 203.0.113.9"), parseTrustProxy("2"))).toBe("198.51.100.1");
  });

  it("refuses what is not an address, a CIDR or a known name", () => {
    expect(() => parseTrustProxy("my-proxy.example.com")).toThrow();
  });
});
