import { type Db, type KeyFilter, type PageRequest, type Prisma, toPage, uniqueKey } from "@upfleet/db";
import { NotFoundError, ValidationError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import { presentRule } from "./present.ts";
import { requireOwned } from "./references.ts";
import { type NewRule, type RulePatch, ruleTargetProblems } from "./schemas.ts";
import { keyedPage, type Tenant } from "./tenancy.ts";

/** What a rule points at, checked within the transaction that writes it (see requireOwned). */
async function requireTargets(tx: Prisma.TransactionClient, tenant: Tenant, fields: Partial<NewRule>) {
  await requireOwned(tx, "channel", tenant.organizationId, fields.channel_ids ?? []);
  if (fields.escalation_policy_id) {
    await requireOwned(tx, "policy", tenant.organizationId, [fields.escalation_policy_id]);
  }
  await requireOwned(tx, "monitor", tenant.organizationId, fields.monitor_ids ?? []);
}

/** "All" (the API's null) is stored as an empty array. */
function columnsFrom(fields: Partial<NewRule>) {
  return {
    ...(fields.key !== undefined ? { key: fields.key } : {}),
    ...(fields.name !== undefined ? { name: fields.name } : {}),
    ...(fields.events !== undefined ? { events: fields.events ?? [] } : {}),
    ...(fields.monitor_ids !== undefined ? { monitorIds: fields.monitor_ids ?? [] } : {}),
    ...(fields.tags !== undefined ? { tags: fields.tags ?? [] } : {}),
    ...(fields.channel_ids !== undefined ? { channelIds: fields.channel_ids } : {}),
    ...(fields.escalation_policy_id !== undefined ? { escalationPolicyId: fields.escalation_policy_id } : {}),
  };
}

export async function createRule(db: Db, tenant: Tenant, input: NewRule) {
  return uniqueKey("rule", input.key, () =>
    db.$transaction(async (tx) => {
      await requireTargets(tx, tenant, input);
      const row = await tx.notificationRule.create({
        data: { id: newId("rule"), organizationId: tenant.organizationId, name: input.name, ...columnsFrom(input) },
      });
      return presentRule(row);
    }),
  );
}

export async function listRules(db: Db, tenant: Tenant, filter: KeyFilter, page: PageRequest) {
  const rows = await db.notificationRule.findMany(keyedPage({ organizationId: tenant.organizationId }, filter, page));
  return toPage(rows, page, presentRule);
}

export async function getRule(db: Db, tenant: Tenant, id: string) {
  const row = await db.notificationRule.findFirst({ where: { id, organizationId: tenant.organizationId } });
  if (!row) throw new NotFoundError("Notification rule", id);
  return presentRule(row);
}

/**
 * The patch is merged onto the rule, which must still send somewhere. Only the references the patch
 * gives are checked: a monitor deleted since the rule was written does not block renaming it.
 */
export async function updateRule(db: Db, tenant: Tenant, id: string, patch: RulePatch) {
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ channel_ids: string[]; escalation_policy_id: string | null }[]>`
      SELECT channel_ids, escalation_policy_id FROM notification_rules
      WHERE id = ${id} AND organization_id = ${tenant.organizationId}
      FOR UPDATE`;
    if (!current) throw new NotFoundError("Notification rule", id);
    const problems = ruleTargetProblems({
      channel_ids: patch.channel_ids ?? current.channel_ids,
      escalation_policy_id:
        patch.escalation_policy_id === undefined ? current.escalation_policy_id : patch.escalation_policy_id,
    });
    if (problems.length) throw new ValidationError(problems);
    await requireTargets(tx, tenant, patch);
    const row = await uniqueKey("rule", patch.key, () =>
      tx.notificationRule.update({ where: { id }, data: columnsFrom(patch) }),
    );
    return presentRule(row);
  });
}

export async function deleteRule(db: Db, tenant: Tenant, id: string): Promise<void> {
  const { count } = await db.notificationRule.deleteMany({ where: { id, organizationId: tenant.organizationId } });
  if (count === 0) throw new NotFoundError("Notification rule", id);
}

/**
 * Takes a deleted monitor out of the rules that name it, in the transaction that deletes it. A rule
 * left naming none is deleted: an empty list is stored for "every monitor", so keeping it would
 * widen a rule for one monitor to all of them.
 */
export async function forgetMonitorInRules(tx: Prisma.TransactionClient, tenant: Tenant, monitorId: string) {
  await tx.$executeRaw`
    DELETE FROM notification_rules
    WHERE organization_id = ${tenant.organizationId} AND monitor_ids = ARRAY[${monitorId}]::text[]`;
  await tx.$executeRaw`
    UPDATE notification_rules SET monitor_ids = array_remove(monitor_ids, ${monitorId}), updated_at = now()
    WHERE organization_id = ${tenant.organizationId} AND ${monitorId} = ANY (monitor_ids)`;
}
