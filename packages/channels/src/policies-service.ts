import { type Db, type KeyFilter, type PageRequest, type Prisma, toPage, uniqueKey } from "@upfleet/db";
import { ConflictError, NotFoundError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import { presentPolicy } from "./present.ts";
import { describeUsers, lockOwned, requireOwned } from "./references.ts";
import type { NewPolicy, PolicyPatch } from "./schemas.ts";
import type { PolicyStep } from "./steps.ts";
import { keyedPage, live, type Tenant } from "./tenancy.ts";

async function requireStepChannels(tx: Prisma.TransactionClient, tenant: Tenant, steps: PolicyStep[]) {
  const channelIds = [...new Set(steps.flatMap((step) => step.channel_ids))];
  await requireOwned(tx, "channel", tenant.organizationId, channelIds);
}

export async function createPolicy(db: Db, tenant: Tenant, input: NewPolicy) {
  return uniqueKey("escalation policy", input.key, () =>
    db.$transaction(async (tx) => {
      await requireStepChannels(tx, tenant, input.steps);
      const row = await tx.escalationPolicy.create({
        data: {
          id: newId("escalationPolicy"),
          organizationId: tenant.organizationId,
          key: input.key,
          name: input.name,
          steps: input.steps,
        },
      });
      return presentPolicy(row);
    }),
  );
}

export async function listPolicies(db: Db, tenant: Tenant, filter: KeyFilter, page: PageRequest) {
  const rows = await db.escalationPolicy.findMany(keyedPage(live(tenant), filter, page));
  return toPage(rows, page, presentPolicy);
}

export async function getPolicy(db: Db, tenant: Tenant, id: string) {
  const row = await db.escalationPolicy.findFirst({ where: { id, ...live(tenant) } });
  if (!row) throw new NotFoundError("Escalation policy", id);
  return presentPolicy(row);
}

/** New steps replace the old ones; escalations already running keep the steps they started with. */
export async function updatePolicy(db: Db, tenant: Tenant, id: string, patch: PolicyPatch) {
  return db.$transaction(async (tx) => {
    if (!(await lockOwned(tx, "policy", tenant.organizationId, id))) throw new NotFoundError("Escalation policy", id);
    if (patch.steps) await requireStepChannels(tx, tenant, patch.steps);
    const row = await uniqueKey("escalation policy", patch.key, () =>
      tx.escalationPolicy.update({
        where: { id },
        data: {
          ...(patch.key !== undefined ? { key: patch.key } : {}),
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.steps ? { steps: patch.steps } : {}),
        },
      }),
    );
    return presentPolicy(row);
  });
}

/**
 * Soft delete. A policy that rules or monitors still escalate to is a 409 naming them, rather than
 * leaving them silently without escalation.
 */
export async function deletePolicy(db: Db, tenant: Tenant, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    if (!(await lockOwned(tx, "policy", tenant.organizationId, id))) throw new NotFoundError("Escalation policy", id);
    const byPolicy = { organizationId: tenant.organizationId, escalationPolicyId: id };
    const pick = { select: { id: true, name: true }, orderBy: { id: "asc" as const } };
    const [rules, monitors] = await Promise.all([
      tx.notificationRule.findMany({ where: byPolicy, ...pick }),
      tx.monitor.findMany({ where: { ...byPolicy, deletedAt: null }, ...pick }),
    ]);
    if (rules.length || monitors.length) {
      const users = [describeUsers("rule", rules), describeUsers("monitor", monitors)].filter(Boolean);
      throw new ConflictError(
        `Escalation policy ${id} is still used by ${users.join(", ")}; detach it from them first`,
      );
    }
    await tx.escalationPolicy.update({ where: { id }, data: { deletedAt: new Date() } });
  });
}
