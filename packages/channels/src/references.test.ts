import { generateKeyringText, parseKeyring } from "@upfleet/secrets";
import { test } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { createChannel, deleteChannel } from "./channels-service.ts";
import { createPolicy, deletePolicy } from "./policies-service.ts";
import { createRule } from "./rules-service.ts";
import { createUrlCheck } from "./url-policy.ts";

const check = createUrlCheck({ allowCidrs: [] });
const ring = parseKeyring(generateKeyringText("test"));

type RuleFields = { channel_ids?: string[]; escalation_policy_id?: string };

/** `newChannel` creates an email channel and gives its id; `rule` creates a rule with `fields` over defaults. */
const it = test.extend<{
  org: { organizationId: string };
  newChannel: () => Promise<string>;
  rule: (fields: RuleFields) => ReturnType<typeof createRule>;
}>({
  org: async ({ organizationId }, use) => use({ organizationId }),
  newChannel: async ({ db, org }, use) =>
    use(
      async () =>
        (
          await createChannel(db, check, ring, org, {
            key: null,
            name: "mail",
            type: "email",
            config: { to: ["a@example.com"] },
            enabled: true,
          })
        ).id,
    ),
  rule: async ({ db, org }, use) =>
    use((fields) =>
      createRule(db, org, {
        key: null,
        name: "r",
        events: null,
        monitor_ids: null,
        tags: null,
        channel_ids: [],
        escalation_policy_id: null,
        ...fields,
      }),
    ),
});

/** Exactly one of a write naming a resource and that resource's delete wins; never both. */
function expectOneWinner(outcomes: PromiseSettledResult<unknown>[], loserCodes: [string, string]) {
  const [write, remove] = outcomes;
  expect([write?.status, remove?.status].sort()).toEqual(["fulfilled", "rejected"]);
  const loser = (write?.status === "rejected" ? write : remove) as PromiseRejectedResult;
  expect(loser.reason.code).toBe(write?.status === "rejected" ? loserCodes[0] : loserCodes[1]);
}

describe("references under concurrent deletes", () => {
  it("a rule naming a channel and the channel's delete never both succeed", async ({ db, org, newChannel, rule }) => {
    for (let round = 0; round < 15; round++) {
      const channel = await newChannel();
      const outcomes = await Promise.allSettled([rule({ channel_ids: [channel] }), deleteChannel(db, org, channel)]);
      expectOneWinner(outcomes, ["not_found", "conflict"]);
    }
    const deleted = await db.notificationChannel.findMany({
      where: { NOT: { deletedAt: null } },
      select: { id: true },
    });
    const orphaned = await db.notificationRule.count({ where: { channelIds: { hasSome: deleted.map((c) => c.id) } } });
    expect(orphaned).toBe(0);
  });

  it("a rule escalating to a policy and the policy's delete never both succeed", async ({
    db,
    org,
    newChannel,
    rule,
  }) => {
    const channel = await newChannel();
    for (let round = 0; round < 15; round++) {
      const policy = await createPolicy(db, org, {
        key: null,
        name: "p",
        steps: [{ delay_minutes: 0, channel_ids: [channel] }],
      });
      const outcomes = await Promise.allSettled([
        rule({ escalation_policy_id: policy.id }),
        deletePolicy(db, org, policy.id),
      ]);
      expectOneWinner(outcomes, ["not_found", "conflict"]);
    }
  });
});
