import { type Db, type PageRequest, pageQuery, toPage } from "@upfleet/db";
import { NotFoundError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import { classifyAttempt } from "./outcome.ts";
import { loadChannel, sendTimed } from "./record.ts";
import type { Senders } from "./senders.ts";

export interface Tenant {
  organizationId: string;
}

type DeliveryRow = NonNullable<Awaited<ReturnType<Db["notificationDelivery"]["findFirst"]>>>;

/** A row of `GET /notifications/deliveries` (API.md). */
function presentDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    channel_id: row.channelId,
    incident_id: row.incidentId,
    notification_id: row.notificationId,
    event: row.event,
    attempt: row.attempt,
    status: row.status,
    response_status: row.responseStatus,
    error: row.error,
    duration_ms: row.durationMs,
    created_at: row.createdAt.toISOString(),
  };
}

export interface DeliveryFilters {
  channel_id?: string | undefined;
  incident_id?: string | undefined;
}

/** Every attempt, newest first; filters only narrow within the tenant (an unknown id lists nothing). */
export async function listDeliveries(db: Db, tenant: Tenant, filters: DeliveryFilters, page: PageRequest) {
  const query = pageQuery(page);
  const rows = await db.notificationDelivery.findMany({
    ...query,
    where: {
      ...query.where,
      organizationId: tenant.organizationId,
      ...(filters.channel_id ? { channelId: filters.channel_id } : {}),
      ...(filters.incident_id ? { incidentId: filters.incident_id } : {}),
    },
  });
  return toPage(rows, page, presentDelivery);
}

const TEST_EVENT = "test";

/**
 * The body of a test send: event "test", otherwise shaped like a monitor.down payload with sample
 * values, so a receiver can exercise its parsing (and its signature check) without paging anyone.
 */
function testPayload(now: Date) {
  return {
    event: TEST_EVENT,
    test: true,
    monitor: { id: "mon_test", name: "Example monitor", url: "https://example.com", type: "http" },
    status: { http_status: 503, response_ms: 5000, error: "timeout", region: "us-east" },
    incident: null,
    timestamp: now.toISOString(),
  };
}

/**
 * Sends a test event to one of the tenant's channels now, through the same sender as real
 * notifications, and records it as a delivery of no notification (attempt 1, never retried).
 * A disabled channel can be tested, which is how a fixed receiver is checked before re-enabling;
 * the test changes nothing else (a 410 here does not disable the channel).
 */
export async function sendTestDelivery(db: Db, senders: Senders, tenant: Tenant, channelId: string) {
  const channel = await loadChannel(db, tenant.organizationId, channelId);
  if (!channel || channel.deletedAt) throw new NotFoundError("Channel", channelId);
  const row = await db.notificationDelivery.create({
    data: {
      id: newId("delivery"),
      organizationId: tenant.organizationId,
      notificationId: null,
      channelId,
      incidentId: null,
      event: TEST_EVENT,
      attempt: 1,
      status: "pending",
    },
  });
  const { result, durationMs } = await sendTimed(senders, channel, {
    id: row.id,
    event: TEST_EVENT,
    payload: testPayload(row.createdAt),
  });
  const decision = classifyAttempt(result, { attempt: 1, delays: [], now: Date.now() });
  // A notification answered so would disable the channel; a test leaves it as it is, and says so.
  const error =
    decision.disableReason !== null
      ? `HTTP 410 Gone: the channel was not disabled by this test; a notification answered so would disable it`
      : decision.error;
  const updated = await db.notificationDelivery.update({
    where: { id: row.id },
    data: { status: decision.status, responseStatus: decision.responseStatus, error, durationMs },
  });
  return presentDelivery(updated);
}
