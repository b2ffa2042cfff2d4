import { createDb, type Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { createTestDatabase, type TestDatabase } from "@upfleet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, deleteChannel, updateChannel } from "./channels-service.ts";
import { ruleMatches } from "./matcher.ts";
import { createPolicy } from "./policies-service.ts";
import { activeChannelIds, disableChannel, getChannelForDelivery, getPolicySteps, rulesFor } from "./routing.ts";
import { createRule } from "./rules-service.ts";
import { createUrlCheck } from "./url-policy.ts";

let database: TestDatabase;
let db: Db;
const org = { organizationId: newId("organization") };
const other = { organizationId: newId("organization") };
const check = createUrlCheck({ allowCidrs: ["127.0.0.0/8"] });

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url);
  for (const { organizationId } of [org, other]) {
    await db.organization.create({ data: { id: organizationId, name: organizationId } });
  }
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const webhook = (tenant = org) =>
  createChannel(db, check, tenant, {
    name: "hook",
    type: "webhook",
    config: { url: "http://127.0.0.1:9/hook" },
    enabled: true,
  });

describe("getChannelForDelivery", () => {
  it("returns the channel unmasked, with the secret generated at creation", async () => {
    const created = await webhook();
    const secret = (created.config as { secret: string }).secret;
    const channel = await getChannelForDelivery(db, created.id);
    expect(channel).toEqual({
      id: created.id,
      organizationId: org.organizationId,
      name: "hook",
      type: "webhook",
      config: { url: "http://127.0.0.1:9/hook", secret },
      enabled: true,
      disabledReason: null,
    });
    expect(secret).toMatch(/^whsec_/);
  });

  it("is null for an unknown or deleted channel", async () => {
    const created = await webhook();
    await deleteChannel(db, org, created.id);
    expect(await getChannelForDelivery(db, created.id)).toBeNull();
    expect(await getChannelForDelivery(db, newId("channel"))).toBeNull();
  });
});

describe("disableChannel", () => {
  it("disables once with the reason; re-enabling through an update clears it", async () => {
    const { id } = await webhook();
    expect(await disableChannel(db, id, "the receiver answered 410 Gone")).toBe(true);
    expect(await disableChannel(db, id, "again")).toBe(false);
    expect(await getChannelForDelivery(db, id)).toMatchObject({
      enabled: false,
      disabledReason: "the receiver answered 410 Gone",
    });
    expect(await activeChannelIds(db, org.organizationId, [id])).toEqual([]);
    const updated = await updateChannel(db, check, org, id, { enabled: true });
    expect(updated).toMatchObject({ enabled: true, disabled_reason: null });
  });
});

describe("activeChannelIds", () => {
  it("keeps the enabled, live channels of the organization, in the order given", async () => {
    const [a, b, off, foreign] = await Promise.all([webhook(), webhook(), webhook(), webhook(other)]);
    await disableChannel(db, off.id, "410");
    expect(await activeChannelIds(db, org.organizationId, [b.id, off.id, foreign.id, a.id])).toEqual([b.id, a.id]);
  });
});

describe("rulesFor and getPolicySteps", () => {
  it("reads an organization's rules with null for all, ready for ruleMatches", async () => {
    const channel = await webhook();
    const policy = await createPolicy(db, org, {
      name: "pager",
      steps: [
        { delay_minutes: 0, channel_ids: [channel.id] },
        { delay_minutes: 15, channel_ids: [channel.id] },
      ],
    });
    const everything = await createRule(db, org, {
      name: "all",
      events: null,
      monitor_ids: null,
      tags: null,
      channel_ids: [channel.id],
      escalation_policy_id: null,
    });
    const prodDown = await createRule(db, org, {
      name: "prod down",
      events: ["monitor.down"],
      monitor_ids: null,
      tags: ["prod"],
      channel_ids: [],
      escalation_policy_id: policy.id,
    });

    const rules = await rulesFor(db, org.organizationId);
    expect(rules.map((r) => r.id)).toEqual([everything.id, prodDown.id]);
    expect(rules[0]).toMatchObject({ events: null, monitorIds: null, tags: null, channelIds: [channel.id] });
    expect(rules[1]).toMatchObject({ events: ["monitor.down"], tags: ["prod"], escalationPolicyId: policy.id });
    const event = { type: "monitor.up", monitorId: newId("monitor"), tags: ["prod"] };
    expect(rules.filter((r) => ruleMatches(r, event)).map((r) => r.id)).toEqual([everything.id]);
    expect(await rulesFor(db, other.organizationId)).toEqual([]);

    expect(await getPolicySteps(db, org.organizationId, policy.id)).toEqual([
      { delay_minutes: 0, channel_ids: [channel.id] },
      { delay_minutes: 15, channel_ids: [channel.id] },
    ]);
    expect(await getPolicySteps(db, other.organizationId, policy.id)).toBeNull();
    expect(await getPolicySteps(db, org.organizationId, newId("escalationPolicy"))).toBeNull();
  });
});
