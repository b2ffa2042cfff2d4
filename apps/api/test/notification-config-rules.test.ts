import { newId } from "@upfleet/ids";
import { describe, expect } from "vitest";
import type { TestUser } from "./support/accounts.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import { tenantsTest } from "./support/tenants.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const RULES = "/api/v1/notifications/rules";
const send = (api: TestApi, user: TestUser, method: string, path: string, body?: unknown) =>
  api.request(method, path, { auth: user.token, ...(body === undefined ? {} : { body }) });

async function channel(api: TestApi, user: TestUser): Promise<string> {
  const body = { name: "mail", type: "email", config: { to: ["ops@example.com"] } };
  const res = await send(api, user, "POST", "/api/v1/notifications/channels", body);
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function newMonitor(api: TestApi, user: TestUser, fields: Record<string, unknown> = {}) {
  return send(api, user, "POST", "/api/v1/monitors", {
    name: "site",
    type: "http",
    url: "https://example.com",
    ...fields,
  });
}

/** Two of the owner's channels, one of the other tenant's, and a monitor of each (the tenants' monA and foreignMonitor). */
interface Seed {
  chA: string;
  chB: string;
  foreignChannel: string;
  monitor: string;
  foreignMonitor: string;
}

const policyBody = (seed: Seed, first = [seed.chA], second = [seed.chB]) => ({
  name: "Night",
  steps: [
    { delay_minutes: 0, channel_ids: first },
    { delay_minutes: 15, channel_ids: second },
  ],
});
const foreignPolicyBody = (seed: Seed) => policyBody(seed, [seed.foreignChannel], [seed.foreignChannel]);

/** The file's `seed`; `req` sends as `user`, the owner by default. */
const it = tenantsTest().extend<{
  seed: Seed;
  req: (method: string, path: string, body?: unknown, user?: TestUser) => Promise<TestResponse>;
}>({
  seed: [
    async ({ api, owner, other, monA, foreignMonitor }, use) => {
      const chA = await channel(api, owner);
      const [chB, foreignChannel] = [await channel(api, owner), await channel(api, other)];
      await use({ chA, chB, foreignChannel, monitor: monA, foreignMonitor });
    },
    { scope: "file" },
  ],
  req: async ({ api, owner, seed: _ }, use) =>
    use((method, path, body, user = owner) => send(api, user, method, path, body)),
});
describe("rules", () => {
  it("creates with null for all, reads, lists, patches and deletes", async ({ seed, req }) => {
    const created = await req("POST", RULES, { name: "Everything", channel_ids: [seed.chA, seed.chA] });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^rul_[0-9a-z]{26}$/),
      key: null,
      name: "Everything",
      events: null,
      monitor_ids: null,
      tags: null,
      channel_ids: [seed.chA],
      escalation_policy_id: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = created.body.id;
    expect((await req("GET", `${RULES}/${id}`)).body).toEqual(created.body);

    const policy = (await req("POST", "/api/v1/escalation-policies", policyBody(seed))).body.id;
    const patched = await req("PATCH", `${RULES}/${id}`, {
      events: ["monitor.down", "incident.created"],
      monitor_ids: [seed.monitor],
      tags: ["prod"],
      channel_ids: [],
      escalation_policy_id: policy,
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      name: "Everything",
      events: ["monitor.down", "incident.created"],
      monitor_ids: [seed.monitor],
      tags: ["prod"],
      channel_ids: [],
      escalation_policy_id: policy,
    });
    const back = await req("PATCH", `${RULES}/${id}`, { events: null, monitor_ids: null, tags: null });
    expect(back.body).toMatchObject({ events: null, monitor_ids: null, tags: null });

    const list = await req("GET", RULES);
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain(id);
    expect((await req("DELETE", `${RULES}/${id}`)).status).toBe(204);
    expectError(await req("GET", `${RULES}/${id}`), 404, "not_found");
  });

  it("refuses bad rules with a 400 naming each problem, storing nothing", async ({ api, seed, req }) => {
    const base = { name: "r", channel_ids: [seed.chA] };
    const cases: [unknown, string[]][] = [
      [{ ...base, events: ["monitor.exploded"] }, ["events.0"]],
      [{ ...base, events: [] }, ["events"]],
      [{ ...base, monitor_ids: [] }, ["monitor_ids"]],
      [{ ...base, tags: [] }, ["tags"]],
      [{ name: "nowhere" }, ["channel_ids"]],
      [{ name: "nowhere", channel_ids: [], escalation_policy_id: null }, ["channel_ids"]],
      [{ ...base, channel_ids: seed.chA }, ["channel_ids"]],
      [{ ...base, enabled: true }, ["enabled"]],
      [{ channel_ids: [seed.chA] }, ["name"]],
    ];
    const before = await tableCounts(api);
    for (const [body, paths] of cases) {
      const res = await req("POST", RULES, body);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(body)).toEqual(paths);
    }
    expect(await tableCounts(api)).toEqual(before);
  });

  it("is a 404 naming another tenant's or an unknown channel, monitor or policy, storing nothing", async ({
    api,
    other,
    seed,
    req,
  }) => {
    const unknown = newId("channel");
    const foreignPolicy = (await req("POST", "/api/v1/escalation-policies", foreignPolicyBody(seed), other)).body.id;
    expect(foreignPolicy).toBeDefined();
    const cases: [unknown, string[]][] = [
      [{ name: "r", channel_ids: [seed.chA, seed.foreignChannel] }, [seed.foreignChannel]],
      [{ name: "r", channel_ids: [unknown, seed.foreignChannel] }, [unknown, seed.foreignChannel]],
      [{ name: "r", channel_ids: ["not-an-id"] }, ["not-an-id"]],
      [{ name: "r", escalation_policy_id: foreignPolicy }, [foreignPolicy]],
      [{ name: "r", channel_ids: [seed.chA], monitor_ids: [seed.monitor, seed.foreignMonitor] }, [seed.foreignMonitor]],
    ];
    const before = await tableCounts(api);
    for (const [body, named] of cases) {
      const res = await req("POST", RULES, body);
      expectError(res, 404, "not_found");
      for (const id of named) expect(res.body.message).toContain(id);
    }
    expect(await tableCounts(api)).toEqual(before);
  });

  it("a PATCH must leave the rule sending somewhere, and checks what it names", async ({ seed, req }) => {
    const id = (await req("POST", RULES, { name: "r", channel_ids: [seed.chA] })).body.id;
    const emptied = await req("PATCH", `${RULES}/${id}`, { channel_ids: [] });
    expectError(emptied, 400, "validation_error");
    expect(detailPaths(emptied)).toEqual(["channel_ids"]);
    expectError(await req("PATCH", `${RULES}/${id}`, { channel_ids: [seed.foreignChannel] }), 404, "not_found");
    expectError(await req("PATCH", `${RULES}/${id}`, { monitor_ids: [] }), 400, "validation_error");
    expect((await req("GET", `${RULES}/${id}`)).body).toMatchObject({ channel_ids: [seed.chA], monitor_ids: null });
  });

  it("a rule loses a deleted monitor and can still be renamed", async ({ api, owner, seed, req }) => {
    const [doomed, kept] = [(await newMonitor(api, owner)).body.id, (await newMonitor(api, owner)).body.id];
    const body = { name: "r", channel_ids: [seed.chA], monitor_ids: [doomed, kept] };
    const id = (await req("POST", RULES, body)).body.id;
    expect((await req("DELETE", `/api/v1/monitors/${doomed}`)).status).toBe(204);
    const renamed = await req("PATCH", `${RULES}/${id}`, { name: "renamed" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.monitor_ids).toEqual([kept]);
  });
});

describe("escalation policies", () => {
  const POLICIES = "/api/v1/escalation-policies";

  it("creates, reads, lists, replaces steps and deletes", async ({ seed, req }) => {
    const created = await req("POST", POLICIES, policyBody(seed));
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^esc_[0-9a-z]{26}$/),
      key: null,
      name: "Night",
      steps: policyBody(seed).steps,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = created.body.id;
    expect((await req("GET", `${POLICIES}/${id}`)).body).toEqual(created.body);
    const steps = [
      { delay_minutes: 0, channel_ids: [seed.chB] },
      { delay_minutes: 5, channel_ids: [seed.chA] },
      { delay_minutes: 1440, channel_ids: [seed.chA, seed.chB] },
    ];
    const patched = await req("PATCH", `${POLICIES}/${id}`, { name: "Day", steps });
    expect(patched.body).toMatchObject({ name: "Day", steps });
    const list = await req("GET", `${POLICIES}?limit=1`);
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await req("DELETE", `${POLICIES}/${id}`)).status).toBe(204);
    expectError(await req("GET", `${POLICIES}/${id}`), 404, "not_found");
  });

  it("refuses bad steps with a 400 naming each, storing nothing", async ({ api, seed, req }) => {
    const step = (delay_minutes: number, channel_ids = [seed.chA]) => ({ delay_minutes, channel_ids });
    const cases: [unknown, string[]][] = [
      [{ name: "p", steps: [] }, ["steps"]],
      [{ name: "p", steps: Array.from({ length: 11 }, (_, i) => step(i)) }, ["steps"]],
      [{ name: "p", steps: [step(0), step(-5)] }, ["steps.1.delay_minutes"]],
      [{ name: "p", steps: [step(0), step(1441)] }, ["steps.1.delay_minutes"]],
      [{ name: "p", steps: [step(0), step(99_999_999)] }, ["steps.1.delay_minutes"]],
      [{ name: "p", steps: [step(0), step(2.5)] }, ["steps.1.delay_minutes"]],
      [{ name: "p", steps: [step(10)] }, ["steps.0.delay_minutes"]],
      [{ name: "p", steps: [step(0), step(30), step(30)] }, ["steps.2.delay_minutes"]],
      [{ name: "p", steps: [step(0, [])] }, ["steps.0.channel_ids"]],
      [{ name: "p", steps: [{ delay_minutes: 0 }] }, ["steps.0.channel_ids"]],
      [{ name: "p", steps: [{ ...step(0), delay_seconds: 0 }] }, ["steps.0.delay_seconds"]],
    ];
    const before = await tableCounts(api);
    for (const [body, paths] of cases) {
      const res = await req("POST", POLICIES, body);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(body)).toEqual(paths);
    }
    const later = await req("POST", POLICIES, { name: "p", steps: [step(0), step(30), step(20)] });
    expect(later.body.details[0].message).toMatch(/greater than the previous step's 30/);
    expectError(await req("POST", POLICIES, policyBody(seed, [seed.foreignChannel])), 404, "not_found");
    expect(await tableCounts(api)).toEqual(before);
  });

  it("a PATCH with bad steps changes nothing", async ({ seed, req }) => {
    const created = (await req("POST", POLICIES, policyBody(seed))).body;
    expectError(
      await req("PATCH", `${POLICIES}/${created.id}`, {
        steps: [{ delay_minutes: 0, channel_ids: [seed.foreignChannel] }],
      }),
      404,
      "not_found",
    );
    expectError(await req("PATCH", `${POLICIES}/${created.id}`, { steps: [] }), 400, "validation_error");
    expect((await req("GET", `${POLICIES}/${created.id}`)).body).toEqual(created);
  });

  it("is a 409 naming the rules and monitors using it, until they are detached", async ({ api, owner, seed, req }) => {
    const policy = (await req("POST", POLICIES, policyBody(seed))).body.id;
    const rule = (await req("POST", RULES, { name: "Escalate", escalation_policy_id: policy })).body.id;
    const watched = await newMonitor(api, owner, { name: "Checkout", escalation_policy_id: policy });
    expect(watched.status, watched.text).toBe(201);

    const refused = await req("DELETE", `${POLICIES}/${policy}`);
    expectError(refused, 409, "conflict");
    expect(refused.body.message).toContain(`rule ${rule} (Escalate)`);
    expect(refused.body.message).toContain(`monitor ${watched.body.id} (Checkout)`);

    await req("DELETE", `${RULES}/${rule}`);
    await req("PATCH", `/api/v1/monitors/${watched.body.id}`, { escalation_policy_id: null });
    expect((await req("DELETE", `${POLICIES}/${policy}`)).status).toBe(204);
  });
});

describe("a monitor's escalation_policy_id", () => {
  it("must name a live policy of the caller's organization (404 otherwise, nothing stored)", async ({
    api,
    owner,
    other,
    seed,
    req,
  }) => {
    const mine = (await req("POST", "/api/v1/escalation-policies", policyBody(seed))).body.id;
    const theirs = (await req("POST", "/api/v1/escalation-policies", foreignPolicyBody(seed), other)).body.id;
    const deleted = (await req("POST", "/api/v1/escalation-policies", policyBody(seed))).body.id;
    await req("DELETE", `/api/v1/escalation-policies/${deleted}`);

    const before = await tableCounts(api);
    for (const id of [theirs, deleted, newId("escalationPolicy"), "esc_nope"]) {
      const res = await newMonitor(api, owner, { escalation_policy_id: id });
      expectError(res, 404, "not_found");
      expect(res.body.message).toContain(id);
      expectError(
        await req("PATCH", `/api/v1/monitors/${seed.monitor}`, { escalation_policy_id: id }),
        404,
        "not_found",
      );
    }
    expect(await tableCounts(api)).toEqual(before);
    expect((await req("GET", `/api/v1/monitors/${seed.monitor}`)).body.escalation_policy_id).toBeNull();

    const created = await newMonitor(api, owner, { escalation_policy_id: mine });
    expect(created.status, created.text).toBe(201);
    expect(created.body.escalation_policy_id).toBe(mine);
    const renamed = await req("PATCH", `/api/v1/monitors/${created.body.id}`, { name: "renamed" });
    expect(renamed.body).toMatchObject({ name: "renamed", escalation_policy_id: mine });
  });
});
