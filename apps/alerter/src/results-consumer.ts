import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { ResultGate, type ResultIngest } from "@upfleet/ingest";
import type { Logger } from "@upfleet/logger";
import { type FleetRegistry, type ProofMac, ResultStreamConsumer } from "@upfleet/queue";
import type { RedisConnection } from "@upfleet/queue/redis";
import { withTimeout } from "@upfleet/runtime";
import { Gauge, type Registry } from "prom-client";

const DEPTH_TIMEOUT_MS = 1_000;

export interface ResultsConsumerDeps {
  redis: RedisConnection;
  redisPrefix: string;
  /** The deployment's regions; regions whose workers report to the fleet registry are read as well. */
  regions: readonly string[];
  fleet: Pick<FleetRegistry, "list">;
  proofs: ProofMac;
  ingest: ResultIngest;
  logger: Logger;
  metrics: Registry;
}

/**
 * Reads every region's results stream (docs/adr/0012) through the dispatch-proof gate into the ingest.
 * The regions read are those configured and those of live workers, so a region added to the API
 * and given workers is read without restarting the alerter.
 */
export function startResultsConsumer(deps: ResultsConsumerDeps): ResultStreamConsumer {
  const gate = new ResultGate(deps);
  const consumer = new ResultStreamConsumer({
    redis: deps.redis,
    redisPrefix: deps.redisPrefix,
    consumer: `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    regions: async () => [...deps.regions, ...(await deps.fleet.list()).map((worker) => worker.region)],
    admit: gate.admit,
    store: deps.ingest.handleAll,
    logger: deps.logger,
  });
  const gauge = (name: string, help: string, pick: (depth: { entries: number; pending: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["region"] as const,
      registers: [deps.metrics],
      // A scrape must not wait on a Redis that does not answer: a depth not read within a second is left out.
      async collect() {
        this.reset();
        const depths = await withTimeout(consumer.depths(), DEPTH_TIMEOUT_MS).catch(() => []);
        for (const depth of depths) this.set({ region: depth.region }, pick(depth));
      },
    });
  gauge(
    "upfleet_results_stream_entries",
    "Entries (workers' batches of results) in a region's results stream not yet stored, by region",
    (depth) => depth.entries,
  );
  gauge(
    "upfleet_results_stream_pending",
    "Entries of a region's results stream handed to an alerter and not yet acknowledged, by region",
    (depth) => depth.pending,
  );
  consumer.start();
  return consumer;
}
