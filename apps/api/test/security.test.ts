import { describe, expect } from "vitest";
import { routes } from "../src/routes/index.ts";
import { addUser, createKey, signupOwner } from "./support/accounts.ts";
import {
  describeRouteSecurity,
  expectError,
  protectedRoutes,
  REQUEST_ID,
  type SecurityContext,
  type TenantFixture,
} from "./support/security.ts";
import { tenantsTest } from "./support/tenants.ts";

/**
 * `security`: the victim's organization (owner and viewer) and the attacker's, on the file's API (open
 * sign-up gives a second tenant; generous limits keep the many requests below 429). Both owners operate
 * the fleet, so the fleet routes answer them (others get 404: fleet-access.test.ts).
 */
const it = tenantsTest({ FLEET_ADMIN_EMAILS: "victim-fleet@example.com,attacker-fleet@example.com" }).extend<{
  security: SecurityContext;
}>({
  security: [
    async ({ api }, use) => {
      const victim = await signupOwner(api, "victim", "victim-fleet@example.com");
      const [attacker, viewer] = await Promise.all([
        signupOwner(api, "attacker", "attacker-fleet@example.com"),
        addUser(api, victim, "viewer"),
      ]);
      await use({ api, victim, attacker, viewer });
    },
    { scope: "file" },
  ],
});

/** An email channel needs no outbound address, so the fixtures work without OUTBOUND_ALLOW_CIDRS. */
async function createVictimChannel({ api, victim }: SecurityContext): Promise<string> {
  const body = { name: "victim's channel", type: "email", config: { to: ["ops@example.com"] } };
  const res = await api.request("POST", "/api/v1/notifications/channels", { auth: victim.token, body });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function createVictimMonitor({ api, victim }: SecurityContext): Promise<string> {
  const body = { name: "victim's site", type: "http", url: "https://example.com" };
  const res = await api.request("POST", "/api/v1/monitors", { auth: victim.token, body });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const exportBody = () => ({
  type: "incidents",
  format: "csv",
  from: new Date(Date.now() - 3_600_000).toISOString(),
  to: new Date().toISOString(),
});

const fixtures: Record<
  | "user"
  | "apiKey"
  | "monitor"
  | "incident"
  | "channel"
  | "rule"
  | "escalationPolicy"
  | "maintenanceWindow"
  | "statusPage"
  | "export",
  TenantFixture
> = {
  user: {
    create: async ({ api, victim }) => (await addUser(api, victim, "member")).id,
    exists: async ({ api }, id) => (await api.deps.db.user.count({ where: { id } })) === 1,
    remove: async ({ api, victim }, id) => {
      expect((await api.request("DELETE", `/api/v1/users/${id}`, { auth: victim.token })).status).toBe(204);
    },
  },
  monitor: {
    create: createVictimMonitor,
    exists: async ({ api }, id) =>
      (await api.deps.db.monitor.count({ where: { id, deletedAt: null, paused: false, name: "victim's site" } })) === 1,
    remove: async ({ api, victim }, id) => {
      expect((await api.request("DELETE", `/api/v1/monitors/${id}`, { auth: victim.token })).status).toBe(204);
    },
  },
  incident: {
    create: async ({ api, victim }) => {
      const body = { title: "victim's incident" };
      const res = await api.request("POST", "/api/v1/incidents", { auth: victim.token, body });
      expect(res.status, res.text).toBe(201);
      return res.body.id;
    },
    // Untouched: still open, unacknowledged, with its title and only its first timeline entry, if any.
    exists: async ({ api }, id) => {
      const where = { id, title: "victim's incident", status: "investigating", acknowledgedAt: null } as const;
      const [incidents, updates] = await Promise.all([
        api.deps.db.incident.count({ where }),
        api.deps.db.incidentUpdate.count({ where: { incidentId: id } }),
      ]);
      return incidents === 1 && updates <= 1;
    },
  },
  channel: {
    create: createVictimChannel,
    exists: async ({ api }, id) =>
      (await api.deps.db.notificationChannel.count({
        where: { id, deletedAt: null, enabled: true, name: "victim's channel" },
      })) === 1,
  },
  rule: {
    create: async (ctx) => {
      const body = { name: "victim's rule", channel_ids: [await createVictimChannel(ctx)] };
      const res = await ctx.api.request("POST", "/api/v1/notifications/rules", { auth: ctx.victim.token, body });
      expect(res.status, res.text).toBe(201);
      return res.body.id;
    },
    exists: async ({ api }, id) =>
      (await api.deps.db.notificationRule.count({ where: { id, name: "victim's rule" } })) === 1,
  },
  escalationPolicy: {
    create: async (ctx) => {
      const body = {
        name: "victim's policy",
        steps: [{ delay_minutes: 0, channel_ids: [await createVictimChannel(ctx)] }],
      };
      const res = await ctx.api.request("POST", "/api/v1/escalation-policies", { auth: ctx.victim.token, body });
      expect(res.status, res.text).toBe(201);
      return res.body.id;
    },
    exists: async ({ api }, id) =>
      (await api.deps.db.escalationPolicy.count({ where: { id, deletedAt: null, name: "victim's policy" } })) === 1,
  },
  maintenanceWindow: {
    create: async (ctx) => {
      const body = {
        name: "victim's window",
        monitor_ids: [await createVictimMonitor(ctx)],
        starts_at: "2026-01-01T02:00:00Z",
        ends_at: "2026-01-01T04:00:00Z",
        repeat: "daily",
      };
      const res = await ctx.api.request("POST", "/api/v1/maintenance-windows", { auth: ctx.victim.token, body });
      expect(res.status, res.text).toBe(201);
      return res.body.id;
    },
    exists: async ({ api }, id) =>
      (await api.deps.db.maintenanceWindow.count({
        where: { id, name: "victim's window", repeat: "daily", endsAt: new Date("2026-01-01T04:00:00Z") },
      })) === 1,
  },
  statusPage: {
    create: async (ctx) => {
      const body = {
        name: "victim's page",
        slug: `victim-${Math.random().toString(36).slice(2, 10)}`,
        sections: [{ name: "Core", monitor_ids: [await createVictimMonitor(ctx)] }],
      };
      const res = await ctx.api.request("POST", "/api/v1/status-pages", { auth: ctx.victim.token, body });
      expect(res.status, res.text).toBe(201);
      return res.body.id;
    },
    exists: async ({ api }, id) =>
      (await api.deps.db.statusPage.count({ where: { id, name: "victim's page", published: false } })) === 1,
  },
  export: {
    create: async ({ api, victim }) => {
      const res = await api.request("POST", "/api/v1/exports", { auth: victim.token, body: exportBody() });
      expect(res.status, res.text).toBe(202);
      return res.body.id;
    },
    exists: async ({ api }, id) => (await api.deps.db.export.count({ where: { id } })) === 1,
    // Five unfinished exports per organization: each test's export goes, or the sixth would be refused.
    remove: async ({ api }, id) => void (await api.deps.db.export.delete({ where: { id } })),
  },
  apiKey: {
    create: async ({ api, victim }) => (await createKey(api, victim)).id,
    exists: async ({ api }, id) => (await api.deps.db.apiKey.count({ where: { id, revokedAt: null } })) === 1,
    remove: async ({ api, victim }, id) => {
      expect((await api.request("DELETE", `/api/v1/keys/${id}`, { auth: victim.token })).status).toBe(204);
    },
  },
};

describe("every authenticated route", () => {
  it("is found in the route table (the checks below cannot silently cover nothing)", () => {
    expect(protectedRoutes(routes).length).toBeGreaterThanOrEqual(7);
  });

  describeRouteSecurity(routes, it, {
    fixtures,
    // Valid bodies, so a request that slipped through would show in the row counts or the fixture.
    samples: {
      "POST /api/v1/users": {
        body: { email: "intruder@example.com", password: "correct horse battery", role: "admin" },
      },
      "POST /api/v1/keys": { body: { name: "intruder" } },
      "POST /api/v1/monitors": { body: { name: "intruder", type: "http", url: "https://example.com" } },
      "PATCH /api/v1/monitors/:id": { body: { name: "taken over" } },
      "POST /api/v1/incidents": { body: { title: "intruder" } },
      "PATCH /api/v1/incidents/:id": { body: { title: "taken over" } },
      "POST /api/v1/incidents/:id/updates": { body: { message: "intruder" } },
      "POST /api/v1/notifications/channels": {
        body: { name: "intruder", type: "email", config: { to: ["intruder@example.com"] } },
      },
      "PATCH /api/v1/notifications/channels/:id": { body: { name: "taken over", enabled: false } },
      "PATCH /api/v1/notifications/rules/:id": { body: { name: "taken over" } },
      "PATCH /api/v1/escalation-policies/:id": { body: { name: "taken over" } },
      "PATCH /api/v1/maintenance-windows/:id": { body: { name: "taken over", repeat: null } },
      "POST /api/v1/status-pages": {
        body: { name: "intruder", slug: "intruder-page", sections: [{ name: "S", monitor_ids: ["mon_x"] }] },
      },
      "PATCH /api/v1/status-pages/:id": { body: { name: "taken over", published: true } },
      "POST /api/v1/exports": { body: exportBody() },
    },
  });
});

describe("X-Request-Id", () => {
  it("is on every error and success, and is the error body's request_id", async ({ api, security: ctx }) => {
    const responses = await Promise.all([
      api.request("GET", "/api/v1/account"),
      api.request("GET", "/api/v1/account", { auth: ctx.victim.token }),
      api.request("GET", "/api/v1/no-such-route"),
      api.request("POST", "/api/v1/auth/login", { body: { email: "x" } }),
      api.request("POST", "/api/v1/keys", { auth: ctx.viewer.token, body: { name: "k" } }),
      api.request("DELETE", "/api/v1/users/usr_nope", { auth: ctx.victim.token }),
      api.request("POST", "/api/v1/auth/login", { rawBody: "{not json" }),
      api.request("POST", "/api/v1/auth/login", { rawBody: "a=b", contentType: "application/x-www-form-urlencoded" }),
    ]);
    for (const res of responses) {
      expect(res.headers.get("x-request-id"), res.text).toMatch(REQUEST_ID);
      if (res.status >= 400) expect(res.body.request_id).toBe(res.headers.get("x-request-id"));
    }
    expect(responses.map((r) => r.status)).toEqual([401, 200, 404, 400, 403, 404, 400, 415]);
    expect(new Set(responses.map((r) => r.headers.get("x-request-id"))).size).toBe(responses.length);
  });

  it("echoes a sane client id, on success and on error", async ({ api, security: ctx }) => {
    for (const sane of ["trace-42", "abc.DEF_123:456", "a", "x".repeat(128)]) {
      const ok = await api.request("GET", "/api/v1/account", {
        auth: ctx.victim.token,
        headers: { "x-request-id": sane },
      });
      expect(ok.headers.get("x-request-id")).toBe(sane);
      const error = await api.request("GET", "/api/v1/account", { headers: { "x-request-id": sane } });
      expectError(error, 401, "unauthorized");
      expect(error.body.request_id).toBe(sane);
    }
  });

  it("replaces an insane one with a req_ id", async ({ api }) => {
    for (const insane of ["x".repeat(300), "has spaces in it", 'quote"d', "<script>", "semi;colon", "ünïcode"]) {
      const res = await api.request("GET", "/api/v1/account", { headers: { "x-request-id": encodeHeader(insane) } });
      expectError(res, 401, "unauthorized");
      expect(res.headers.get("x-request-id")).toMatch(REQUEST_ID);
      expect(res.body.request_id).toBe(res.headers.get("x-request-id"));
    }
  });
});

/** fetch refuses non-Latin-1 header values; send such a value as its UTF-8 bytes, as a raw client would. */
function encodeHeader(value: string): string {
  return Buffer.from(value, "utf8").toString("latin1");
}
