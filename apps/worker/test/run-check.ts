import { bullPrefix, checksQueueName, JOBS, type ResultJob, resultsStreamKey } from "@upfleet/queue";
import type { RedisConnection } from "@upfleet/queue/redis";
import { waitFor } from "@upfleet/testing";
import { Queue } from "bullmq";

/** A check job's fields besides its spec. */
export interface Round {
  monitorId: string;
  organizationId: string;
  region: string;
  tick: number;
  intervalMs: number;
}

/**
 * Queues one check job as the alerter would, waits for the worker to publish its result to the
 * region's results stream under the job's id, and returns that result. The job must be completed by
 * then or soon after, never before its result is in the stream.
 */
export async function runCheckJob(
  redis: { url: string; prefix: string },
  round: Round,
  spec: Record<string, unknown>,
): Promise<ResultJob> {
  const checks = new Queue(checksQueueName(round.region), {
    connection: { url: redis.url },
    prefix: bullPrefix(redis.prefix),
  });
  const id = JOBS.check.jobId(round);
  const published = async () => {
    // BullMQ's own connection is an ioredis client; its declared type leaves out the stream commands.
    const client = (await checks.client) as unknown as RedisConnection;
    const entries = await client.xrange(resultsStreamKey(redis.prefix, round.region), "-", "+");
    for (const [, fields] of entries) {
      const at = fields.findIndex((field, i) => i % 2 === 0 && field === id);
      if (at >= 0) return JSON.parse(fields[at + 1]!) as ResultJob;
    }
    return undefined;
  };
  try {
    await checks.add("check", { ...round, spec }, { jobId: id });
    await waitFor(async () => (await checks.getJobState(id)) === "completed", { what: "the check job completed" });
    return await waitFor(published, { timeoutMs: 1_000, what: "the result in the stream once its job completed" });
  } finally {
    await checks.close();
  }
}
