import { type Db, type KeyFilter, type PageRequest, type Prisma, toPage, uniqueKey } from "@upfleet/db";
import { ConflictError, NotFoundError, ValidationError, zodIssuesToDetails } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import type { Keyring } from "@upfleet/secrets";
import { CHANNEL_CONFIGS, type ChannelConfig } from "./config.ts";
import { sealChannelConfig, shownChannelConfig } from "./credentials.ts";
import { presentChannel } from "./present.ts";
import { describeUsers, lockOwned } from "./references.ts";
import type { ChannelPatch, NewChannel } from "./schemas.ts";
import { generateWebhookSecret } from "./secret.ts";
import { keyedPage, live, type Tenant } from "./tenancy.ts";
import { assertUrlsAllowed, type UrlCheck } from "./url-policy.ts";

async function findOwned(db: Db, tenant: Tenant, id: string) {
  const row = await db.notificationChannel.findFirst({ where: { id, ...live(tenant) } });
  if (!row) throw new NotFoundError("Notification channel", id);
  return row;
}

/**
 * A new channel, its secrets and URLs stored encrypted. A webhook without a secret gets a generated
 * `whsec_` one, shown in full in this response only; every later read masks it.
 */
export async function createChannel(db: Db, check: UrlCheck, ring: Keyring, tenant: Tenant, input: NewChannel) {
  const generated = input.type === "webhook" && !input.config.secret ? generateWebhookSecret() : null;
  const channel = (
    generated ? { type: input.type, config: { ...input.config, secret: generated } } : input
  ) as ChannelConfig;
  await assertUrlsAllowed(check, channel);
  const row = await uniqueKey("channel", input.key, () =>
    db.notificationChannel.create({
      data: {
        id: newId("channel"),
        organizationId: tenant.organizationId,
        key: input.key,
        name: input.name,
        type: channel.type,
        config: sealChannelConfig(channel, ring, { generatedSecret: generated !== null }) as Prisma.InputJsonValue,
        enabled: input.enabled,
      },
    }),
  );
  const presented = presentChannel(row);
  return generated ? { ...presented, config: { ...presented.config, secret: generated } } : presented;
}

export async function listChannels(db: Db, tenant: Tenant, filter: KeyFilter, page: PageRequest) {
  const rows = await db.notificationChannel.findMany(keyedPage(live(tenant), filter, page));
  return toPage(rows, page, presentChannel);
}

export async function getChannel(db: Db, tenant: Tenant, id: string) {
  return presentChannel(await findOwned(db, tenant, id));
}

/**
 * Name, enabled and config. The config patch is checked against the channel's type (a field of
 * another type is a 400) and merged onto the stored one: an omitted field is kept, and so is a
 * secret or URL sent back in its masked form (a client that reads, edits and writes the whole
 * object back keeps its credentials). Only the URLs the patch gives are re-checked against the SSRF
 * guard (the stored ones passed when written).
 */
export async function updateChannel(
  db: Db,
  check: UrlCheck,
  ring: Keyring,
  tenant: Tenant,
  id: string,
  patch: ChannelPatch,
) {
  const current = await findOwned(db, tenant, id);
  if (patch.type !== undefined && patch.type !== current.type) {
    throw new ValidationError([
      { path: "type", message: `a channel's type cannot change (this one is ${current.type}); create a new channel` },
    ]);
  }
  let config: Record<string, unknown> | undefined;
  if (patch.config) {
    // The stored config as the client read it: a field equal to it is "unchanged", not a new value.
    const shown = shownChannelConfig(current.type, current.config);
    const given = Object.fromEntries(Object.entries(patch.config).filter(([field, value]) => shown[field] !== value));
    const parsed = CHANNEL_CONFIGS[current.type].partial().safeParse(given);
    if (!parsed.success) throw new ValidationError(zodIssuesToDetails(parsed.error.issues, "config"));
    const merged = { type: current.type, config: { ...shown, ...parsed.data } } as ChannelConfig;
    await assertUrlsAllowed(check, merged, (field) => field in given);
    config = sealChannelConfig(merged, ring, { previous: current.config });
  }
  const row = await uniqueKey("channel", patch.key, () =>
    db.notificationChannel.update({
      where: { id: current.id },
      data: {
        ...(patch.key !== undefined ? { key: patch.key } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(config ? { config: config as Prisma.InputJsonValue } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.enabled ? { disabledReason: null } : {}),
      },
    }),
  );
  return presentChannel(row);
}

/**
 * Soft delete. A channel that rules or escalation policies still send to is a 409 naming them:
 * silently dropping it could leave a rule or a step with nowhere to send.
 */
export async function deleteChannel(db: Db, tenant: Tenant, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    if (!(await lockOwned(tx, "channel", tenant.organizationId, id))) {
      throw new NotFoundError("Notification channel", id);
    }
    const [rules, policies] = await Promise.all([
      tx.notificationRule.findMany({
        where: { organizationId: tenant.organizationId, channelIds: { has: id } },
        select: { id: true, name: true },
        orderBy: { id: "asc" },
      }),
      tx.$queryRaw<{ id: string; name: string }[]>`
        SELECT id, name FROM escalation_policies
        WHERE organization_id = ${tenant.organizationId} AND deleted_at IS NULL
          AND steps @> ${JSON.stringify([{ channel_ids: [id] }])}::jsonb
        ORDER BY id`,
    ]);
    if (rules.length || policies.length) {
      const users = [describeUsers("rule", rules), describeUsers("escalation policy", policies)].filter(Boolean);
      throw new ConflictError(
        `Notification channel ${id} is still used by ${users.join(", ")}; remove it from them first`,
      );
    }
    await tx.notificationChannel.update({ where: { id }, data: { deletedAt: new Date() } });
  });
}
