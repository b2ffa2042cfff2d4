import type { LookupAddress } from "node:dns";
import { createInternalNames, type Resolver } from "@upfleet/outbound";
import { describe, expect, it } from "vitest";
import { assertUrlsAllowed, createUrlCheck } from "./url-policy.ts";

/** A resolver with fixed answers: names not listed do not exist. */
function fakeDns(answers: Record<string, string[]>): Resolver {
  return (hostname, _options, callback) => {
    const addresses = answers[hostname];
    if (!addresses) return callback(Object.assign(new Error(`no ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 })),
    );
  };
}

const resolver = fakeDns({
  "hooks.example.com": ["93.184.215.14"],
  "rebind.example.com": ["93.184.215.14", "10.1.2.3"],
  "metadata.example.com": ["169.254.169.254"],
});

describe("createUrlCheck", () => {
  const check = createUrlCheck({ allowCidrs: [], resolver });

  it("accepts a public address, and a name that resolves only to public ones", async () => {
    expect(await check("https://93.184.215.14/hook")).toBeNull();
    expect(await check("https://hooks.example.com/hook")).toBeNull();
  });

  it("refuses non-public address literals, naming the kind of address", async () => {
    expect(await check("http://127.0.0.1:8080/x")).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(await check("http://10.0.0.7/x")).toMatch(/private/);
    expect(await check("http://169.254.169.254/latest/meta-data")).toMatch(/linkLocal/);
    expect(await check("http://[::1]/x")).toMatch(/::1 is a loopback address/);
    expect(await check("http://[::ffff:192.168.0.1]/x")).toMatch(/IPv4-mapped private/);
    expect(await check("http://100.64.0.1/x")).toMatch(/carrierGradeNat/);
  });

  it("refuses a name when any address it resolves to is not public", async () => {
    const metadata = await check("https://metadata.example.com/");
    expect(metadata).toBe(
      "metadata.example.com resolves to a non-public address, refused unless the deployment allows it in OUTBOUND_ALLOW_CIDRS",
    );
    const rebind = await check("https://rebind.example.com/");
    expect(rebind).toMatch(/rebind\.example\.com resolves to a non-public address/);
    // Which address, or what kind, would map the operator's network for whoever writes the channel.
    expect(`${metadata} ${rebind}`).not.toMatch(/169\.254|10\.1\.2\.3|private|linkLocal/);
  });

  it.each([
    "http://intranet/hook",
    "https://hooks.internal/x",
    "https://HOOKS.Internal./x",
    "http://nas.local:8080/",
    "http://router.home.arpa/",
    "http://svc.ns.svc.cluster.local/",
    "http://box.lan/",
    "http://localhost:3000/x",
    "http://wiki.corp.example/x",
  ])("refuses the internal name in %s without resolving it", async (url) => {
    const asked: string[] = [];
    const counting = createUrlCheck({
      allowCidrs: ["0.0.0.0/0"],
      internalNames: createInternalNames({ extraSuffixes: ["corp.example"] }),
      resolver: (hostname, options, callback) => {
        asked.push(hostname);
        resolver(hostname, options, callback);
      },
    });
    expect(await counting(url)).toMatch(/is an internal name .*INTERNAL_DNS_ALLOW_SUFFIXES/);
    expect(asked).toEqual([]);
  });

  it("lets through an internal name the operator opened", async () => {
    const opened = createUrlCheck({
      allowCidrs: ["127.0.0.0/8"],
      internalNames: createInternalNames({ allowSuffixes: ["localhost", "internal"] }),
    });
    expect(await opened("http://localhost:3000/x")).toBeNull();
    expect(await opened("https://hooks.internal/x")).toBeNull();
  });

  it("refuses a host that is no host name", async () => {
    expect(await check(`https://${"a".repeat(64)}.example.com/`)).toMatch(/63/);
    expect(await check("https://a..b/")).toMatch(/empty label/);
  });

  it("accepts a name that does not resolve now: the sender checks again on every send", async () => {
    expect(await check("https://not-yet.example.com/")).toBeNull();
  });

  it("accepts a name whose resolution takes too long, rather than hanging the request", async () => {
    const slow = createUrlCheck({ allowCidrs: [], resolver: () => {}, lookupTimeoutMs: 50 });
    expect(await slow("https://slow.example.com/")).toBeNull();
  });

  it("lets through what OUTBOUND_ALLOW_CIDRS opens, and nothing else", async () => {
    const lan = createUrlCheck({ allowCidrs: ["127.0.0.0/8", "10.1.0.0/16"], resolver });
    expect(await lan("http://127.0.0.1:9000/x")).toBeNull();
    expect(await lan("https://rebind.example.com/")).toBeNull();
    expect(await lan("http://10.2.0.1/x")).toMatch(/private/);
  });

  it("resolves names with the system resolver by default (localhost, once opened, is loopback)", async () => {
    const opened = createInternalNames({ allowSuffixes: ["localhost"] });
    expect(await createUrlCheck({ allowCidrs: [], internalNames: opened })("http://localhost:3000/x")).toMatch(
      /localhost resolves to a non-public address/,
    );
  });
});

describe("assertUrlsAllowed", () => {
  const check = createUrlCheck({ allowCidrs: [], resolver });

  it("is a 400 naming the refused config field", async () => {
    const error = await assertUrlsAllowed(check, {
      type: "slack",
      config: { webhook_url: "http://192.168.1.1/x" },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "validation_error", details: [{ path: "config.webhook_url" }] });
  });

  it("checks only the fields picked", async () => {
    const channel = { type: "webhook" as const, config: { url: "http://10.0.0.1/", secret: "s".repeat(16) } };
    await expect(assertUrlsAllowed(check, channel, (field) => field === "secret")).resolves.toBeUndefined();
    await expect(
      assertUrlsAllowed(check, { type: "email", config: { to: ["a@example.com"] } }),
    ).resolves.toBeUndefined();
  });
});
