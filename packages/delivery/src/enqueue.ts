import { type DeliveryJob, deliveryJobId, JOBS, NOTIFICATIONS_QUEUE } from "@upfleet/queue";
import { type ConnectionOptions, Queue } from "bullmq";

/** The notifications queue, as producers (the fan-out, the escalation worker, the sweeper) open it. */
export function openDeliveryQueue(connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(NOTIFICATIONS_QUEUE, { connection, prefix });
}

/**
 * Queues attempt `attempt` of a notification, `delayMs` from now. The job id is the notification
 * and the attempt, so queueing an attempt that is already queued (a retried fan-out, the sweeper
 * after a crash) is absorbed by BullMQ.
 */
export async function enqueueDelivery(queue: Queue, job: DeliveryJob, delayMs = 0): Promise<void> {
  const { name, data, opts } = deliveryJob(job, delayMs);
  await queue.add(name, data, opts);
}

/** Queues many first attempts (or sweeps) in one round trip to Redis; same ids as enqueueDelivery. */
export async function enqueueDeliveries(queue: Queue, jobs: readonly DeliveryJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await queue.addBulk(jobs.map((job) => deliveryJob(job, 0)));
}

function deliveryJob(job: DeliveryJob, delayMs: number) {
  const data = JOBS.delivery.schema.parse(job);
  return {
    name: "deliver",
    data,
    opts: {
      ...JOBS.delivery.options,
      jobId: deliveryJobId(data.notificationId, data.attempt),
      delay: Math.max(0, Math.round(delayMs)),
    },
  };
}
