import type { Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import type { NotificationPayload } from "./payload.ts";

type Tx = Prisma.TransactionClient;

export interface NewNotification {
  organizationId: string;
  channelId: string;
  /** One per event × channel (`<event id>:<channel id>`, or `esc:…` for escalation steps). */
  dedupeKey: string;
  incidentId: string | null;
  monitorId: string | null;
  payload: NotificationPayload;
}

/**
 * Inserts the notifications that do not exist yet and returns the ids of those it created. A
 * replayed event (a crash before its mark committed, two alerters) collides on the dedupe key and
 * creates nothing, so nothing is queued twice.
 */
export async function insertNotifications(tx: Tx, rows: readonly NewNotification[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const created = await tx.notification.createManyAndReturn({
    data: rows.map((row) => ({
      id: newId("notification"),
      organizationId: row.organizationId,
      channelId: row.channelId,
      dedupeKey: row.dedupeKey,
      event: row.payload.event,
      incidentId: row.incidentId,
      monitorId: row.monitorId,
      payload: row.payload as unknown as Prisma.InputJsonValue,
    })),
    skipDuplicates: true,
    select: { id: true },
  });
  return created.map((row) => row.id);
}

/** The notifications of one event: the payload, built once, to each channel. */
export function toChannels(
  eventId: string,
  channelIds: readonly string[],
  fields: Omit<NewNotification, "channelId" | "dedupeKey">,
): NewNotification[] {
  return channelIds.map((channelId) => ({ ...fields, channelId, dedupeKey: `${eventId}:${channelId}` }));
}
