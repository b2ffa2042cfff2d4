import { type Db, isUniqueViolation } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import type { DeliveryJob } from "@upfleet/queue";
import { type AttemptDecision, classifyAttempt } from "./outcome.ts";
import { loadChannel, type StoredChannel, sendTimed } from "./record.ts";
import type { Senders } from "./senders.ts";

export interface AttemptDeps {
  db: Db;
  senders: Senders;
  /** Waits before attempts 2, 3, … (NOTIFICATION_RETRY_DELAYS). */
  delays: readonly number[];
}

/** Admits a send to a channel, or refuses while the channel has too many in flight. */
export interface ChannelGate {
  tryEnter(channelId: string): boolean;
  leave(channelId: string): void;
}

export type AttemptOutcome =
  /** Nothing to do: already done, superseded, or being done by another worker right now. */
  | { kind: "skipped"; why: string }
  /** The channel is at its in-flight cap: try this job again shortly. */
  | { kind: "busy"; channelId: string }
  | {
      kind: "done";
      notificationStatus: "succeeded" | "failed" | "pending";
      decision: AttemptDecision;
      durationMs: number;
    };

/**
 * An attempt row left pending this long belongs to a worker that died mid-send (a send lasts at most
 * the 10 s timeout): a redelivered job takes it over rather than leave the notification stuck.
 */
export const STALE_ATTEMPT_MS = 60_000;

/** Inserts the attempt's row, or takes over one a dead worker left; null when another worker has it. */
async function claimAttempt(db: Db, notification: NotificationRow, attempt: number): Promise<string | null> {
  try {
    const row = await db.notificationDelivery.create({
      data: {
        id: newId("delivery"),
        organizationId: notification.organizationId,
        notificationId: notification.id,
        channelId: notification.channelId,
        incidentId: notification.incidentId,
        event: notification.event,
        attempt,
        status: "pending",
      },
      select: { id: true },
    });
    return row.id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const now = new Date();
  // Claiming is a compare-and-set on created_at, so two redeliveries cannot both take it over.
  const taken = await db.notificationDelivery.updateMany({
    where: {
      notificationId: notification.id,
      attempt,
      status: "pending",
      createdAt: { lt: new Date(now.getTime() - STALE_ATTEMPT_MS) },
    },
    data: { createdAt: now },
  });
  if (taken.count === 0) return null;
  const row = await db.notificationDelivery.findFirst({
    where: { notificationId: notification.id, attempt },
    select: { id: true },
  });
  return row?.id ?? null;
}

type NotificationRow = NonNullable<Awaited<ReturnType<typeof loadNotification>>>;

function loadNotification(db: Db, id: string) {
  return db.notification.findUnique({ where: { id } });
}

/** Why a channel gets no more sends, or null when it may be sent to. */
function unavailable(channel: StoredChannel | null): string | null {
  if (!channel || channel.deletedAt) return "The channel was deleted";
  if (!channel.enabled) return `The channel is disabled${channel.disabledReason ? `: ${channel.disabledReason}` : ""}`;
  return null;
}

/**
 * Attempt `job.attempt` of a notification: send it once and record the outcome. Idempotent on
 * redelivery: an attempt the notification is already past, or that another worker holds, is skipped.
 * The attempt's row and the notification change in one transaction; the caller queues the next
 * attempt after it commits (the sweeper covers a crash in between).
 */
export async function runAttempt(deps: AttemptDeps, job: DeliveryJob, gate?: ChannelGate): Promise<AttemptOutcome> {
  const { db } = deps;
  const notification = await loadNotification(db, job.notificationId);
  if (!notification) return { kind: "skipped", why: "notification not found" };
  if (notification.status !== "pending") return { kind: "skipped", why: `notification ${notification.status}` };
  if (notification.attempts !== job.attempt - 1) {
    return { kind: "skipped", why: `notification at attempt ${notification.attempts}, job for ${job.attempt}` };
  }
  if (gate && !gate.tryEnter(notification.channelId)) return { kind: "busy", channelId: notification.channelId };
  try {
    const deliveryId = await claimAttempt(db, notification, job.attempt);
    if (!deliveryId) return { kind: "skipped", why: "attempt in flight in another worker" };

    const channel = await loadChannel(db, notification.organizationId, notification.channelId);
    const refusal = unavailable(channel);
    const { result, durationMs } = refusal
      ? { result: { kind: "error", reason: "invalid_config", message: refusal } as const, durationMs: 0 }
      : await sendTimed(deps.senders, channel!, {
          id: notification.id,
          event: notification.event,
          payload: notification.payload,
        });
    const now = Date.now();
    const decision = classifyAttempt(result, { attempt: job.attempt, delays: deps.delays, now });
    const notificationStatus =
      decision.status === "succeeded" ? "succeeded" : decision.retryInMs === null ? "failed" : "pending";

    await db.$transaction([
      db.notificationDelivery.update({
        where: { id: deliveryId },
        data: {
          status: decision.status,
          responseStatus: decision.responseStatus,
          error: decision.error,
          durationMs,
        },
      }),
      db.notification.updateMany({
        where: { id: notification.id, status: "pending", attempts: job.attempt - 1 },
        data: {
          attempts: job.attempt,
          status: notificationStatus,
          nextAttemptAt: decision.retryInMs === null ? null : new Date(now + decision.retryInMs),
        },
      }),
      ...(decision.disableReason
        ? [
            db.notificationChannel.updateMany({
              where: { id: notification.channelId, enabled: true },
              data: { enabled: false, disabledReason: decision.disableReason },
            }),
          ]
        : []),
    ]);
    return { kind: "done", notificationStatus, decision, durationMs };
  } finally {
    gate?.leave(notification.channelId);
  }
}
