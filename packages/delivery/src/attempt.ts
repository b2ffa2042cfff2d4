import type { DeliveryJob } from "@upfleet/queue";
import type { AttemptStore, AttemptSubject, NotificationStatus } from "./attempt-store.ts";
import { type AttemptDecision, classifyAttempt, type SendResult } from "./outcome.ts";
import { sendTimed } from "./record.ts";
import type { Senders } from "./senders.ts";

export interface AttemptDeps {
  store: AttemptStore;
  senders: Senders;
  /** Waits before attempts 2, 3, … (NOTIFICATION_RETRY_DELAYS). */
  delays: readonly number[];
}

/** Admits a send to a channel (perhaps after a short wait), or refuses while it has too many in flight. */
export interface ChannelGate {
  enter(channelId: string): Promise<boolean>;
  leave(channelId: string): void;
}

export type AttemptOutcome =
  /** Nothing to do: already done, superseded, or being done by another worker right now. */
  | { kind: "skipped"; why: string }
  /** The channel is at its in-flight cap: try this job again shortly. */
  | { kind: "busy"; channelId: string }
  /**
   * Another worker claimed this attempt and has not recorded it: look again once its claim could be
   * stale, so the attempt is taken over if that worker died mid-send.
   */
  | { kind: "held" }
  | {
      kind: "done";
      /** The attempt it counted as: the job's, or the next when it took over a dead worker's send. */
      attempt: number;
      notificationStatus: NotificationStatus;
      decision: AttemptDecision;
      durationMs: number;
    };

/** Why a channel gets no more sends, or null when it may be sent to. */
function unavailable(channel: AttemptSubject["channel"]): string | null {
  if (!channel || channel.deletedAt) return "The channel was deleted";
  if (!channel.enabled) return `The channel is disabled${channel.disabledReason ? `: ${channel.disabledReason}` : ""}`;
  return null;
}

async function send(deps: AttemptDeps, subject: AttemptSubject): Promise<{ result: SendResult; durationMs: number }> {
  const refusal = unavailable(subject.channel);
  if (refusal) return { result: { kind: "error", reason: "invalid_config", message: refusal }, durationMs: 0 };
  return sendTimed(deps.senders, subject.channel!, {
    id: subject.id,
    event: subject.event,
    payload: subject.payload,
  });
}

/**
 * Attempt `job.attempt` of a notification: send it once and record the outcome. Idempotent on
 * redelivery: an attempt the notification is already past is skipped, one another worker holds is
 * held (to be looked at again later).
 * The caller queues the next attempt after the record (the sweeper covers a crash in between).
 */
export async function runAttempt(deps: AttemptDeps, job: DeliveryJob, gate?: ChannelGate): Promise<AttemptOutcome> {
  const subject = await deps.store.load(job.notificationId);
  if (!subject) return { kind: "skipped", why: "notification not found" };
  if (subject.status !== "pending") return { kind: "skipped", why: `notification ${subject.status}` };
  if (subject.attempts !== job.attempt - 1) {
    return { kind: "skipped", why: `notification at attempt ${subject.attempts}, job for ${job.attempt}` };
  }
  if (gate && !(await gate.enter(subject.channelId))) return { kind: "busy", channelId: subject.channelId };
  try {
    const claimed = await deps.store.claim(subject, job.attempt);
    if (!claimed) return { kind: "held" };
    const { deliveryId, attempt } = claimed;
    const { result, durationMs } = await send(deps, subject);
    const now = Date.now();
    const decision = classifyAttempt(result, { attempt, delays: deps.delays, now });
    const notificationStatus: NotificationStatus =
      decision.status === "succeeded" ? "succeeded" : decision.retryInMs === null ? "failed" : "pending";
    await deps.store.record({ deliveryId, subject, attempt, decision, notificationStatus, durationMs, now });
    return { kind: "done", attempt, notificationStatus, decision, durationMs };
  } finally {
    gate?.leave(subject.channelId);
  }
}
