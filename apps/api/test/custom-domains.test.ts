import { startDns, type TestDnsServer } from "@upfleet/checks/testing";
import { checkPendingClaims, recheckVerifiedClaims } from "@upfleet/status-pages";
import { type FileFixtures, sharedFixtures, type TestFixtures } from "@upfleet/testing/fixtures";
import { test as base, describe, expect } from "vitest";
import { signupOwner, type TestUser } from "./support/accounts.ts";
import { expectError } from "./support/security.ts";
import { newMonitor } from "./support/tenants.ts";
import { startTestApi, type TestApi, type TestResponse } from "./support/test-api.ts";

const DOMAIN = "status.acme-claims.test";
const RECORD = `_upfleet.${DOMAIN}`;

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
type Page = any;

/** The file's API, resolving through its own DNS server, with two tenants and its helpers. */
interface Claims {
  api: TestApi;
  dns: TestDnsServer;
  /** TXT strings `dns` answers, by name. */
  txt: Map<string, string[]>;
  alice: TestUser;
  mallory: TestUser;
  /** Creates a published page of `user`'s with one monitor, claiming `customDomain`. */
  newPage: (user: TestUser, name: string, slug: string, customDomain: string | null) => Promise<Page>;
  verify: (user: TestUser, id: string) => Promise<TestResponse>;
}

/** `c`: the claims' API and DNS server, started for the file (vitest's test with the shared fixtures). */
const it = base.extend<FileFixtures & TestFixtures & { c: Claims }>({
  ...sharedFixtures,
  c: [
    async ({ database, redis }, use) => {
      const txt = new Map<string, string[]>();
      const dns = await startDns((question) =>
        question.type === "TXT" && txt.has(question.name)
          ? txt
              .get(question.name)!
              .map((value) => ({ type: "TXT" as const, name: question.name, ttl: 1, data: [value] }))
          : "nxdomain",
      );
      const env = { OPEN_SIGNUP: "true", RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" };
      const api = await startTestApi({ ...env, CHECK_DNS_RESOLVERS: dns.address }, { database, redis });
      const [alice, mallory] = [await signupOwner(api, "alice"), await signupOwner(api, "mallory")];
      await use({
        ...{ api, dns, txt, alice, mallory },
        newPage: async (user, name, slug, customDomain) => {
          const monitorId = await newMonitor(api, user);
          const res = await api.request("POST", "/api/v1/status-pages", {
            auth: user.token,
            body: {
              name,
              slug,
              custom_domain: customDomain,
              published: true,
              sections: [{ name: "All", monitor_ids: [monitorId] }],
            },
          });
          expect(res.status, res.text).toBe(201);
          return res.body;
        },
        verify: (user, id) => api.request("POST", `/api/v1/status-pages/${id}/verify-domain`, { auth: user.token }),
      });
      await api.close();
      await dns.close();
    },
    { scope: "file" },
  ],
});

describe("custom domains are served only once their TXT record proves them", () => {
  it("an unverified claim shows its record, serves nothing and blocks no one; the verified claim wins", async ({
    c,
  }) => {
    const { api, dns, txt, alice, mallory, newPage, verify } = c;
    // Mallory claims the domain first: accepted, but unverified.
    const squatted = await newPage(mallory, "Mallory", "mallory-page", DOMAIN);
    expect(squatted.custom_domain_verified).toBe(false);
    expect(squatted.custom_domain_verification).toEqual({
      record: RECORD,
      type: "TXT",
      value: expect.stringMatching(/^upfleet-verify=[\w-]{32}$/),
    });
    expect((await api.getWithHost("/", DOMAIN)).status).toBe(404);

    // Alice's claim of the same domain is not blocked, and gets a token of its own.
    const page = await newPage(alice, "Alice Status", "alice-page", DOMAIN);
    expect(page.custom_domain_verification.value).not.toBe(squatted.custom_domain_verification.value);

    // No record yet, then a wrong value: still unverified, still serving nothing.
    let res = await verify(alice, page.id);
    expect(res.status, res.text).toBe(200);
    expect(res.body.custom_domain_verified).toBe(false);
    txt.set(RECORD, ["upfleet-verify=not-the-token"]);
    res = await verify(alice, page.id);
    expect(res.body.custom_domain_verified).toBe(false);
    expect((await api.getWithHost("/", DOMAIN)).status).toBe(404);
    expect(dns.questions).toContain(`TXT ${RECORD}`);

    // The real owner publishes the token: verified, and the domain serves Alice's page.
    txt.set(RECORD, ["unrelated", page.custom_domain_verification.value]);
    res = await verify(alice, page.id);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: page.id, custom_domain: DOMAIN, custom_domain_verified: true });
    const served = await api.getWithHost("/", DOMAIN);
    expect(served.status).toBe(200);
    expect(served.text).toContain("Alice Status");

    // Mallory cannot take it over, even with its own token published too.
    txt.set(RECORD, [page.custom_domain_verification.value, squatted.custom_domain_verification.value]);
    const taken = await verify(mallory, squatted.id);
    expectError(taken, 409, "conflict");
    expect(taken.body.message).toContain(DOMAIN);
    expect(
      (await api.request("GET", `/api/v1/status-pages/${squatted.id}`, { auth: mallory.token })).body,
    ).toMatchObject({ custom_domain_verified: false });
    expect((await api.getWithHost("/", DOMAIN)).text).toContain("Alice Status");
  });

  it("changing the domain starts a new, unverified claim with a new token; keeping it keeps the state", async ({
    c,
  }) => {
    const { api, txt, alice, newPage, verify } = c;
    const domain = "status.renamed-claims.test";
    const page = await newPage(alice, "Renamed", "renamed-page", domain);
    txt.set(`_upfleet.${domain}`, [page.custom_domain_verification.value]);
    expect((await verify(alice, page.id)).body.custom_domain_verified).toBe(true);
    const patch = (body: Record<string, unknown>) =>
      api.request("PATCH", `/api/v1/status-pages/${page.id}`, { auth: alice.token, body });
    expect((await patch({ name: "Renamed again", custom_domain: domain })).body.custom_domain_verified).toBe(true);
    const moved = await patch({ custom_domain: "www.renamed-claims.test" });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.custom_domain_verified).toBe(false);
    expect(moved.body.custom_domain_verification.record).toBe("_upfleet.www.renamed-claims.test");
    expect(moved.body.custom_domain_verification.value).not.toBe(page.custom_domain_verification.value);
    const cleared = await patch({ custom_domain: null });
    expect(cleared.body).toMatchObject({ custom_domain_verified: false, custom_domain_verification: null });
  });

  it("refuses internal names, and verify-domain without a domain or on another tenant's page", async ({ c }) => {
    const { api, alice, mallory, newPage, verify } = c;
    for (const domain of ["status.internal", "printer.local", "localhost"]) {
      const res = await api.request("POST", "/api/v1/status-pages", {
        auth: alice.token,
        body: {
          name: "x",
          slug: `internal-${domain.length}`,
          custom_domain: domain,
          sections: [{ name: "a", monitor_ids: [await newMonitor(api, alice)] }],
        },
      });
      expectError(res, 400, "validation_error");
    }
    const plain = await newPage(alice, "Plain", "plain-page", null);
    expectError(await verify(alice, plain.id), 409, "conflict");
    expectError(await verify(mallory, plain.id), 404, "not_found");
  });

  it("the periodic check verifies claims whose record has appeared", async ({ c }) => {
    const { api, txt, mallory, newPage } = c;
    const domain = "status.periodic-claims.test";
    const page = await newPage(mallory, "Periodic", "periodic-page", domain);
    expect(await checkPendingClaims(api.deps.db, api.deps.domains)).toBe(0);
    txt.set(`_upfleet.${domain}`, [page.custom_domain_verification.value]);
    expect(await checkPendingClaims(api.deps.db, api.deps.domains)).toBe(1);
    const res = await api.request("GET", `/api/v1/status-pages/${page.id}`, { auth: mallory.token });
    expect(res.body.custom_domain_verified).toBe(true);
  });

  it("a verified domain whose record is gone for 72 h lapses, and its new owner can verify it", async ({ c }) => {
    const { api, txt, alice, mallory, newPage, verify } = c;
    const domain = "status.changed-hands.test";
    const record = `_upfleet.${domain}`;
    const old = await newPage(mallory, "Old owner", "old-owner-page", domain);
    txt.set(record, [old.custom_domain_verification.value]);
    expect((await verify(mallory, old.id)).status).toBe(200);
    const verifiedOf = async (user: TestUser, id: string) =>
      (await api.request("GET", `/api/v1/status-pages/${id}`, { auth: user.token })).body.custom_domain_verified;
    const at = (hours: number) => new Date(Date.now() + hours * 3_600_000);

    // Looked up again a day on, and found: confirmed, nothing lapses.
    expect(await recheckVerifiedClaims(api.deps.db, api.deps.domains, at(25))).toBe(0);
    // The domain changes hands: the record goes. Missing for less than 72 h since it was last seen, it holds.
    txt.delete(record);
    expect(await recheckVerifiedClaims(api.deps.db, api.deps.domains, at(50))).toBe(0);
    expect(await verifiedOf(mallory, old.id)).toBe(true);
    expect(await recheckVerifiedClaims(api.deps.db, api.deps.domains, at(25 + 73))).toBe(1);
    expect(await verifiedOf(mallory, old.id)).toBe(false);

    // The new owner claims it, publishes its own token and verifies: the old claim no longer blocks it.
    const fresh = await newPage(alice, "New owner", "new-owner-page", domain);
    txt.set(record, [fresh.custom_domain_verification.value]);
    expect((await verify(alice, fresh.id)).status).toBe(200);
    expect(await verifiedOf(alice, fresh.id)).toBe(true);
  });
});
