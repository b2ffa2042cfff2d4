import { CheckStream, type ResultJob, resultsStreamKey, roundId } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { Redis } from "ioredis";

/** A check's fields besides its spec. */
export interface Round {
  monitorId: string;
  organizationId: string;
  region: string;
  tick: number;
  intervalMs: number;
}

/**
 * Adds one check to its region's stream as the alerter would, waits for the worker to publish its
 * result to the region's results stream under the round's id, and returns that result.
 */
export async function runCheckJob(
  redis: { url: string; prefix: string },
  round: Round,
  spec: Record<string, unknown>,
): Promise<ResultJob> {
  const client = new Redis(redis.url);
  const id = roundId(round);
  const published = async () => {
    const entries = await client.xrange(resultsStreamKey(redis.prefix, round.region), "-", "+");
    for (const [, fields] of entries) {
      const at = fields.findIndex((field, i) => i % 2 === 0 && field === id);
      if (at >= 0) return JSON.parse(fields[at + 1]!) as ResultJob;
    }
    return undefined;
  };
  try {
    // Not parsed here: a spec the worker cannot run is one of the cases it answers.
    await new CheckStream(client, redis.prefix).add(round.region, [{ ...round, spec } as never]);
    return await waitFor(published, { what: "the check's result in the results stream" });
  } finally {
    client.disconnect();
  }
}
