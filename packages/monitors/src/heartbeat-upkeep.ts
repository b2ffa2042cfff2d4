import type { Db, Monitor } from "@upfleet/db";
import { settleHeartbeat } from "@upfleet/heartbeats";

/**
 * A heartbeat monitor's deadline follows its definition: a PATCH of its schedule moves it, a pause
 * clears it, a resume counts the period from the resume, a delete clears it.
 */
export async function settleHeartbeatDeadline(db: Db, before: Monitor, after: Monitor): Promise<void> {
  if (after.type !== "heartbeat") return;
  await settleHeartbeat(db, after.id, { resumed: before.paused && !after.paused });
}
