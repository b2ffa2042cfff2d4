import type { SqlClient } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { Batcher } from "@upfleet/runtime";
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

export type NotificationStatus = AttemptSubject["status"];

/** What one attempt ended with, as recorded. */
interface AttemptRecord {
  deliveryId: string;
  subject: AttemptSubject;
  attempt: number;
  decision: AttemptDecision;
  notificationStatus: NotificationStatus;
  durationMs: number;
  now: number;
}

/** The attempt row a send is recorded in, and the attempt it counts as. */
interface ClaimedAttempt {
  deliveryId: string;
  attempt: number;
}

/** The three round trips of an attempt: read, claim, record. */
export interface AttemptStore {
  /** The notification and its channel (same tenant), or null when it is gone. */
  load(notificationId: string): Promise<AttemptSubject | null>;
  /**
   * Inserts the attempt's pending row; null when another worker has it. A row a dead worker left is
   * closed as interrupted and the send becomes the next attempt, with a row of its own (see `takeOver`).
   */
  claim(subject: AttemptSubject, attempt: number): Promise<ClaimedAttempt | null>;
  /**
   * Records an attempt atomically: its row, the notification's progress (only if no other worker
   * moved it on meanwhile) and, on a 410, the channel disabled.
   */
  record(record: AttemptRecord): Promise<void>;
}

/**
 * An attempt row left pending this long belongs to a worker that died mid-send (a send lasts at most
 * the 10 s timeout): a redelivered job takes it over rather than leave the notification stuck.
 */
export const STALE_ATTEMPT_MS = 60_000;

/** What an attempt row says when its worker died before recording the receiver's answer. */
export const INTERRUPTED_ERROR =
  "Interrupted: the sender stopped before the answer was recorded; the receiver may have it";

interface SubjectRow {
  id: string;
  organization_id: string;
  channel_id: string;
  incident_id: string | null;
  event: string;
  payload: unknown;
  status: NotificationStatus;
  attempts: number;
  c_id: string | null;
  c_type: string | null;
  c_config: unknown;
  c_enabled: boolean | null;
  c_disabled_reason: string | null;
  c_deleted_at: Date | null;
}

function toSubject(row: SubjectRow): AttemptSubject {
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

// Plain SQL over node-postgres, each statement for a whole batch of attempts (unnested arrays):
// delivery is CPU-bound on its round trips, and Prisma's per-query cost was most of an attempt's.

async function loadSubjects(sql: SqlClient, ids: string[]): Promise<(AttemptSubject | null)[]> {
  const rows = await sql.query<SubjectRow>(
    `SELECT n.id, n.organization_id, n.channel_id, n.incident_id, n.event, n.payload, n.status::text AS status,
            n.attempts, c.id AS c_id, c.type::text AS c_type, c.config AS c_config, c.enabled AS c_enabled,
            c.disabled_reason AS c_disabled_reason, c.deleted_at AS c_deleted_at
     FROM notifications n
     LEFT JOIN notification_channels c ON c.id = n.channel_id AND c.organization_id = n.organization_id
     WHERE n.id = ANY($1::text[])`,
    [[...new Set(ids)]],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    return row ? toSubject(row) : null;
  });
}

interface Claim {
  subject: AttemptSubject;
  attempt: number;
}

async function claimAttempts(sql: SqlClient, claims: Claim[]): Promise<(ClaimedAttempt | null)[]> {
  // The same attempt twice in one batch: only the first may claim it, as if they had come apart.
  const firsts = new Map<string, number>();
  claims.forEach((claim, i) => {
    const key = `${claim.subject.id}@${claim.attempt}`;
    if (!firsts.has(key)) firsts.set(key, i);
  });
  const candidates = [...firsts.values()].map((i) => ({ index: i, id: newId("delivery"), ...claims[i]! }));
  const column = <T>(pick: (c: (typeof candidates)[number]) => T) => candidates.map(pick);
  const inserted = await sql.query<{ id: string }>(
    `INSERT INTO notification_deliveries
       (id, organization_id, notification_id, channel_id, incident_id, event, attempt, status)
     SELECT v.id, v.organization_id, v.notification_id, v.channel_id, v.incident_id, v.event, v.attempt,
            'pending'::"NotificationStatus"
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
       AS v(id, organization_id, notification_id, channel_id, incident_id, event, attempt)
     ON CONFLICT (notification_id, attempt) DO NOTHING
     RETURNING id`,
    [
      column((c) => c.id),
      column((c) => c.subject.organizationId),
      column((c) => c.subject.id),
      column((c) => c.subject.channelId),
      column((c) => c.subject.incidentId),
      column((c) => c.subject.event),
      column((c) => c.attempt),
    ],
  );
  const claimed = new Map<number, ClaimedAttempt>();
  const insertedIds = new Set(inserted.map((row) => row.id));
  const conflicting = candidates.filter((c) => {
    if (insertedIds.has(c.id)) claimed.set(c.index, { deliveryId: c.id, attempt: c.attempt });
    return !insertedIds.has(c.id);
  });
  if (conflicting.length > 0) {
    for (const row of await takeOver(sql, conflicting)) {
      const claim = conflicting.find((c) => c.subject.id === row.notification_id && c.attempt === row.attempt - 1);
      if (claim) claimed.set(claim.index, { deliveryId: row.id, attempt: row.attempt });
    }
  }
  return claims.map((_, i) => claimed.get(i) ?? null);
}

/**
 * Takes over the attempts whose pending rows dead workers left. Their send may have reached the
 * receiver, so the row is closed as interrupted (failed) and counted in the notification's attempts,
 * and the new send is the next attempt, in a row of its own: the log shows every send the receiver
 * may have got (issue #14 point 8: one row where the receiver got two). Closing the row is a
 * compare-and-set on its status, so two redeliveries cannot both take it over.
 */
async function takeOver(
  sql: SqlClient,
  claims: { subject: AttemptSubject; attempt: number }[],
): Promise<{ id: string; notification_id: string; attempt: number }[]> {
  return sql.query(
    `WITH closed AS (
       UPDATE notification_deliveries d SET status = 'failed', error = $4
       FROM unnest($1::text[], $2::int[], $5::text[]) AS v(notification_id, attempt, next_id)
       WHERE d.notification_id = v.notification_id AND d.attempt = v.attempt AND d.status = 'pending'
         AND d.created_at < now() - make_interval(secs => $3)
       RETURNING d.*, v.next_id
     ), counted AS (
       UPDATE notifications n SET attempts = c.attempt, updated_at = now()
       FROM closed c WHERE n.id = c.notification_id AND n.status = 'pending' AND n.attempts = c.attempt - 1
     )
     INSERT INTO notification_deliveries
       (id, organization_id, notification_id, channel_id, incident_id, event, attempt, status)
     SELECT c.next_id, c.organization_id, c.notification_id, c.channel_id, c.incident_id, c.event, c.attempt + 1,
            'pending'::"NotificationStatus"
     FROM closed c
     ON CONFLICT (notification_id, attempt) DO NOTHING
     RETURNING id, notification_id, attempt`,
    [
      claims.map((c) => c.subject.id),
      claims.map((c) => c.attempt),
      STALE_ATTEMPT_MS / 1000,
      INTERRUPTED_ERROR,
      claims.map(() => newId("delivery")),
    ],
  );
}

async function recordAttempts(sql: SqlClient, records: AttemptRecord[]): Promise<void> {
  const column = <T>(pick: (r: AttemptRecord) => T) => records.map(pick);
  // One statement, so each attempt's row, its notification and its channel change together.
  await sql.query(
    `WITH v AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[],
                            $8::text[], $9::timestamptz[], $10::text[], $11::text[])
         AS v(delivery_id, notification_id, status, response_status, error, duration_ms, attempt,
              notification_status, next_attempt_at, channel_id, disable_reason)
     ), delivery AS (
       UPDATE notification_deliveries d
       SET status = v.status::"NotificationStatus", response_status = v.response_status, error = v.error,
           duration_ms = v.duration_ms
       FROM v WHERE d.id = v.delivery_id
     ), disabled AS (
       UPDATE notification_channels c SET enabled = false, disabled_reason = v.disable_reason, updated_at = now()
       FROM v WHERE v.disable_reason IS NOT NULL AND c.id = v.channel_id AND c.enabled
     )
     UPDATE notifications n
     SET attempts = v.attempt, status = v.notification_status::"NotificationStatus",
         next_attempt_at = v.next_attempt_at, updated_at = now()
     FROM v WHERE n.id = v.notification_id AND n.status = 'pending' AND n.attempts = v.attempt - 1`,
    [
      column((r) => r.deliveryId),
      column((r) => r.subject.id),
      column((r) => r.decision.status),
      column((r) => r.decision.responseStatus),
      column((r) => r.decision.error),
      column((r) => r.durationMs),
      column((r) => r.attempt),
      column((r) => r.notificationStatus),
      column((r) => (r.decision.retryInMs === null ? null : new Date(r.now + r.decision.retryInMs))),
      column((r) => r.subject.channelId),
      column((r) => r.decision.disableReason),
    ],
  );
}

/**
 * The attempt store over plain node-postgres, each of its three steps micro-batched across the
 * attempts in flight (see the runtime Batcher): under a burst, one statement reads, claims or records
 * dozens of attempts.
 */
export function createAttemptStore(sql: SqlClient): AttemptStore {
  // One bad attempt must not fail the others of its statement.
  const options = { isolateFailures: true };
  const loads = new Batcher((ids: string[]) => loadSubjects(sql, ids), options);
  const claims = new Batcher((batch: Claim[]) => claimAttempts(sql, batch), options);
  const records = new Batcher((batch: AttemptRecord[]) => recordAttempts(sql, batch), options);
  return {
    load: (notificationId) => loads.add(notificationId),
    claim: (subject, attempt) => claims.add({ subject, attempt }),
    record: (record) => records.add(record),
  };
}
