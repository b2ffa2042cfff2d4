import dns from "node:dns";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BlockedAddressError,
  createInternalNames,
  createOutboundGuard,
  GuardedHttpAgent,
  type OutboundGuard,
  type Resolver,
} from "./index.ts";

type Outcome = { error: NodeJS.ErrnoException | null; address?: string | dns.LookupAddress[]; family?: number };

function lookup(guard: OutboundGuard, host: string, options: dns.LookupOptions): Promise<Outcome> {
  return new Promise((resolve) =>
    guard.lookup(host, options, (error, address, family) => resolve({ error, address, family })),
  );
}

function systemLookup(host: string, options: dns.LookupOptions): Promise<Outcome> {
  return new Promise((resolve) =>
    dns.lookup(host, { ...options, all: true }, (error, address) => resolve({ error, address })),
  );
}

// `localhost` is an internal name, refused before any lookup unless opened (INTERNAL_DNS_ALLOW_SUFFIXES);
// these guards open it so the address rules are what is tested here.
const localhostOpened = createInternalNames({ allowSuffixes: ["localhost"] });
const strict = createOutboundGuard({ allowCidrs: [], internalNames: localhostOpened });
const loopback = createOutboundGuard({ allowCidrs: ["127.0.0.0/8", "::1/128"], internalNames: localhostOpened });
const loopbackV4 = createOutboundGuard({ allowCidrs: ["127.0.0.0/8"], internalNames: localhostOpened });

describe("lookup on localhost with the system resolver", () => {
  it("family 4: refused unless 127.0.0.0/8 is opened", async () => {
    const refused = await lookup(strict, "localhost", { family: 4 });
    expect(refused.error).toBeInstanceOf(BlockedAddressError);
    expect(refused.error?.code).toBe("EBLOCKED");
    expect(await lookup(loopbackV4, "localhost", { family: 4 })).toEqual({
      error: null,
      address: "127.0.0.1",
      family: 4,
    });
  });

  it("all: refused unless every address is opened", async () => {
    expect((await lookup(strict, "localhost", { all: true })).error?.code).toBe("EBLOCKED");
    const opened = await lookup(loopback, "localhost", { all: true });
    expect(opened.error).toBeNull();
    expect(opened.address).toEqual((await systemLookup("localhost", {})).address);
  });

  it("family 6: refused unless ::1 is opened (or the resolver's own error when it has no IPv6 localhost)", async () => {
    // Some machines map localhost to ::1, others (no ::1 line in /etc/hosts) give ENOTFOUND.
    const system = await systemLookup("localhost", { family: 6 });
    const refused = await lookup(loopbackV4, "localhost", { family: 6 });
    const opened = await lookup(loopback, "localhost", { family: 6 });
    if (system.error) {
      expect(refused.error?.code).toBe(system.error.code);
      expect(opened.error?.code).toBe(system.error.code);
    } else {
      expect(refused.error?.code).toBe("EBLOCKED");
      expect(opened).toEqual({ error: null, address: "::1", family: 6 });
    }
  });

  it("family 6 on the ::1 literal: refused unless ::1 is opened", async () => {
    expect((await lookup(loopbackV4, "::1", { family: 6 })).error?.code).toBe("EBLOCKED");
    expect(await lookup(loopback, "::1", { family: 6 })).toEqual({ error: null, address: "::1", family: 6 });
  });

  it("accepts dns.lookup's (host, callback) and (host, family, callback) forms", async () => {
    const viaCallback = await new Promise<Outcome>((resolve) =>
      (loopback.lookup as unknown as typeof dns.lookup)("localhost", (error, address, family) =>
        resolve({ error, address, family }),
      ),
    );
    expect(viaCallback.error).toBeNull();
    const viaFamily = await new Promise<Outcome>((resolve) =>
      (strict.lookup as unknown as typeof dns.lookup)("localhost", 4, (error, address, family) =>
        resolve({ error, address, family }),
      ),
    );
    expect(viaFamily.error?.code).toBe("EBLOCKED");
  });
});

describe("lookup with a lying resolver", () => {
  const answers: Record<string, dns.LookupAddress[]> = {
    "metadata.example": [{ address: "169.254.169.254", family: 4 }],
    "rebind.example": [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.5", family: 4 },
    ],
    "mapped.example": [{ address: "::ffff:127.0.0.1", family: 6 }],
    "public.example": [{ address: "93.184.216.34", family: 4 }],
  };
  const seen: dns.LookupAllOptions[] = [];
  const resolver: Resolver = (hostname, options, callback) => {
    seen.push(options);
    const found = answers[hostname];
    if (found) callback(null, found);
    else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
  };
  const guard = createOutboundGuard({ allowCidrs: [], resolver });

  it("refuses a name resolving to the metadata address, naming the name but not the address", async () => {
    const { error } = await lookup(guard, "metadata.example", {});
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error?.message).toBe("Refusing to connect to metadata.example: it resolves to a non-public address");
    expect(error?.message).not.toMatch(/169\.254|linkLocal/);
    // The operator's logs still get what it was.
    expect(error).toMatchObject({ address: "169.254.169.254", reason: "linkLocal" });
  });

  it("with all: true refuses when any address is not allowed", async () => {
    expect((await lookup(guard, "rebind.example", { all: true })).error?.code).toBe("EBLOCKED");
  });

  it("without all judges the address it hands back", async () => {
    expect(await lookup(guard, "rebind.example", {})).toEqual({ error: null, address: "93.184.216.34", family: 4 });
  });

  it("refuses an IPv4-mapped loopback answer", async () => {
    expect((await lookup(guard, "mapped.example", {})).error?.code).toBe("EBLOCKED");
  });

  it("passes the family through and resolver errors unchanged", async () => {
    seen.length = 0;
    await lookup(guard, "public.example", { family: 6, hints: dns.ADDRCONFIG });
    expect(seen).toEqual([{ family: 6, hints: dns.ADDRCONFIG, all: true }]);
    expect((await lookup(guard, "nowhere.example", {})).error?.code).toBe("ENOTFOUND");
  });
});

describe("connecting through the guard", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const connect = (guard: OutboundGuard, host: string) =>
    new Promise<string>((resolve) => {
      const socket = net.connect({ host, port, lookup: guard.lookup });
      socket.once("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });

  it("net.connect by name uses the lookup hook", async () => {
    expect(await connect(strict, "localhost")).toBe("EBLOCKED");
    expect(await connect(loopback, "localhost")).toBe("connected");
  });

  const get = (guard: OutboundGuard, url: string) =>
    new Promise<string>((resolve) => {
      const agent = new GuardedHttpAgent(guard);
      // A request-level lookup must not be able to replace the guard's.
      const request = http.get(url, { agent, lookup: dns.lookup }, (res) => {
        res.resume();
        resolve(String(res.statusCode));
      });
      request.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      request.once("close", () => agent.destroy());
    });

  it("GuardedHttpAgent checks IP literals, which skip lookup", async () => {
    expect(await get(strict, `http://127.0.0.1:${port}/`)).toBe("EBLOCKED");
    expect(await get(loopback, `http://127.0.0.1:${port}/`)).toBe("200");
    expect(await get(loopback, `http://[::ffff:127.0.0.1]:${port}/`)).toBe("200");
    expect(await get(loopbackV4, `http://[::1]:${port}/`)).toBe("EBLOCKED");
  });

  it("GuardedHttpAgent checks names through the lookup hook", async () => {
    expect(await get(strict, `http://localhost:${port}/`)).toBe("EBLOCKED");
    expect(await get(loopback, `http://localhost:${port}/`)).toBe("200");
  });
});

describe("internal names", () => {
  const asked: string[] = [];
  const resolver: Resolver = (hostname, _options, callback) => {
    asked.push(hostname);
    callback(null, [{ address: "93.184.216.34", family: 4 }]);
  };
  const guard = createOutboundGuard({
    allowCidrs: ["127.0.0.0/8"],
    internalNames: createInternalNames({ extraSuffixes: ["corp.example"], allowSuffixes: ["open.internal"] }),
    resolver,
  });

  it.each(["intranet", "db.internal", "DB.Internal.", "wiki.corp.example", "localhost", "printer.local."])(
    "refuses %s before asking any resolver, whatever it would resolve to",
    async (host) => {
      asked.length = 0;
      const { error } = await lookup(guard, host, {});
      expect(error).toBeInstanceOf(BlockedAddressError);
      expect(error?.message).toMatch(/internal name/);
      expect(asked).toEqual([]);
      expect(() => guard.assertHostAllowed(host)).toThrow(expect.objectContaining({ code: "EBLOCKED" }));
      expect(guard.isInternalName(host)).toBe(true);
    },
  );

  it("lets through public names and what the operator opened", async () => {
    expect((await lookup(guard, "www.example.com", {})).error).toBeNull();
    expect((await lookup(guard, "app.open.internal", {})).error).toBeNull();
    expect(() => guard.assertHostAllowed("app.open.internal")).not.toThrow();
    expect(() => guard.assertHostAllowed("127.0.0.1")).not.toThrow();
    expect(() => guard.assertHostAllowed("10.0.0.1")).toThrow(/10\.0\.0\.1 \(private address\)/);
  });

  it("refuses localhost by default, even with loopback opened", async () => {
    const plain = createOutboundGuard({ allowCidrs: ["127.0.0.0/8", "::1/128"] });
    expect((await lookup(plain, "localhost", {})).error?.code).toBe("EBLOCKED");
  });
});
