import { describe, expect, it } from "vitest";
import { clientIpBucket, ipBucket } from "./client-ip.ts";

describe("ipBucket", () => {
  it("keys IPv4 by the full address", () => {
    expect(ipBucket("203.0.113.7")).toBe("4:203.0.113.7");
    expect(ipBucket("203.0.113.8")).not.toBe(ipBucket("203.0.113.7"));
  });

  it("keys IPv4-mapped IPv6 as the IPv4 address it is", () => {
    expect(ipBucket("::ffff:203.0.113.7")).toBe("4:203.0.113.7");
    expect(ipBucket("::ffff:cb00:7107")).toBe("4:203.0.113.7");
  });

  it("puts every address of one IPv6 /64 in one bucket, whatever its spelling", () => {
    const bucket = ipBucket("2001:db8:1:2::1");
    expect(bucket).toBe("6:2001:db8:1:2::/64");
    expect(ipBucket("2001:0DB8:0001:0002:ffff:eeee:dddd:cccc")).toBe(bucket);
    expect(ipBucket("2001:db8:1:2:0:0:0:99")).toBe(bucket);
    expect(ipBucket("2001:db8:1:2::1%eth0")).toBe(bucket);
  });

  it("separates neighbouring /64s", () => {
    expect(ipBucket("2001:db8:1:3::1")).not.toBe(ipBucket("2001:db8:1:2::1"));
    expect(ipBucket("::1")).toBe("6:0:0:0:0::/64");
    expect(ipBucket("2001:db8::")).toBe("6:2001:db8:0:0::/64");
  });

  it("says unknown for anything that is not an address", () => {
    expect(ipBucket(undefined)).toBe("unknown");
    expect(ipBucket("")).toBe("unknown");
    expect(ipBucket("not-an-ip")).toBe("unknown");
  });
});

describe("clientIpBucket", () => {
  it("prefers req.ip and falls back to the socket's address", () => {
    expect(clientIpBucket({ ip: "198.51.100.1", socket: { remoteAddress: "10.0.0.1" } })).toBe("4:198.51.100.1");
    expect(clientIpBucket({ socket: { remoteAddress: "2001:db8::5" } })).toBe("6:2001:db8:0:0::/64");
  });
});
