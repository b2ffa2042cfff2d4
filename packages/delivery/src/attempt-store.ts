import { type Db, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import type { AttemptDecision } from "./outcome.ts";
import type { StoredChannel } from "./record.ts";

/** A notification and its channel (null once the row is gone), as one attempt needs them. */
export interface AttemptSubject {
  id: string;
  organizationId: string;
  channelId: string;
  incidentId: string | null;
  event: string;
  payload: unknown;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  channel: StoredChannel | null;
}

interface SubjectRow {
  id: string;
  organization_id: string;
  channel_id: string;
  incident_id: string | null;
  event: string;
  payload: unknown;
  status: AttemptSubject["status"];
  attempts: number;
  c_id: string | null;
  c_type: string | null;
  c_config: unknown;
  c_enabled: boolean | null;
  c_disabled_reason: string | null;
  c_deleted_at: Date | null;
}

// Raw SQL here because an attempt is the hot path of delivery: one round trip to read, one to claim,
// one to record, where the ORM needs twice as many (and a transaction's BEGIN/COMMIT besides).

/** The notification and its channel (same tenant) in one query. */
export async function loadSubject(db: Db, notificationId: string): Promise<AttemptSubject | null> {
  const [row] = await db.$queryRaw<SubjectRow[]>`
    SELECT n.id, n.organization_id, n.channel_id, n.incident_id, n.event, n.payload, n.status::text AS status,
           n.attempts, c.id AS c_id, c.type::text AS c_type, c.config AS c_config, c.enabled AS c_enabled,
           c.disabled_reason AS c_disabled_reason, c.deleted_at AS c_deleted_at
    FROM notifications n
    LEFT JOIN notification_channels c ON c.id = n.channel_id AND c.organization_id = n.organization_id
    WHERE n.id = ${notificationId}`;
  if (!row) return null;
  return {
    id: row.id,
    organizationId: row.organization_id,
    channelId: row.channel_id,
    incidentId: row.incident_id,
    event: row.event,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    channel: row.c_id
      ? {
          id: row.c_id,
          organizationId: row.organization_id,
          type: row.c_type!,
          config: row.c_config,
          enabled: row.c_enabled!,
          disabledReason: row.c_disabled_reason,
          deletedAt: row.c_deleted_at,
        }
      : null,
  };
}

/**
 * An attempt row left pending this long belongs to a worker that died mid-send (a send lasts at most
 * the 10 s timeout): a redelivered job takes it over rather than leave the notification stuck.
 */
export const STALE_ATTEMPT_MS = 60_000;

/** Inserts the attempt's pending row, or takes over one a dead worker left; null when another worker has it. */
export async function claimAttempt(db: Db, subject: AttemptSubject, attempt: number): Promise<string | null> {
  const [inserted] = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO notification_deliveries
      (id, organization_id, notification_id, channel_id, incident_id, event, attempt, status)
    VALUES (${newId("delivery")}, ${subject.organizationId}, ${subject.id}, ${subject.channelId},
            ${subject.incidentId}, ${subject.event}, ${attempt}, 'pending')
    ON CONFLICT (notification_id, attempt) DO NOTHING
    RETURNING id`;
  if (inserted) return inserted.id;
  // A compare-and-set on created_at, so two redeliveries cannot both take it over.
  const [taken] = await db.$queryRaw<{ id: string }[]>`
    UPDATE notification_deliveries SET created_at = now()
    WHERE notification_id = ${subject.id} AND attempt = ${attempt} AND status = 'pending'
      AND created_at < now() - make_interval(secs => ${STALE_ATTEMPT_MS / 1000})
    RETURNING id`;
  return taken?.id ?? null;
}

export type NotificationStatus = AttemptSubject["status"];

/**
 * Records an attempt in one statement, so atomically: its row, the notification's progress (only if
 * no other worker moved it on meanwhile) and, on a 410, the channel disabled.
 */
export async function recordAttempt(
  db: Db,
  record: {
    deliveryId: string;
    subject: AttemptSubject;
    attempt: number;
    decision: AttemptDecision;
    notificationStatus: NotificationStatus;
    durationMs: number;
    now: number;
  },
): Promise<void> {
  const { deliveryId, subject, attempt, decision, notificationStatus, durationMs, now } = record;
  const nextAttemptAt = decision.retryInMs === null ? null : new Date(now + decision.retryInMs);
  const disable = decision.disableReason
    ? Prisma.sql`, disabled AS (
        UPDATE notification_channels SET enabled = false, disabled_reason = ${decision.disableReason}, updated_at = now()
        WHERE id = ${subject.channelId} AND enabled)`
    : Prisma.empty;
  await db.$executeRaw`
    WITH delivery AS (
      UPDATE notification_deliveries
      SET status = ${decision.status}::"NotificationStatus", response_status = ${decision.responseStatus},
          error = ${decision.error}, duration_ms = ${durationMs}
      WHERE id = ${deliveryId}) ${disable}
    UPDATE notifications
    SET attempts = ${attempt}, status = ${notificationStatus}::"NotificationStatus",
        next_attempt_at = ${nextAttemptAt}, updated_at = now()
    WHERE id = ${subject.id} AND status = 'pending' AND attempts = ${attempt - 1}`;
}
