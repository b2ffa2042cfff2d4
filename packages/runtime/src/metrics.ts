import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * How often prom-client's event-loop probe ticks. Node's histogram records the time between ticks, so
 * `nodejs_eventloop_lag_*` read this much more than the delay itself.
 */
export const EVENT_LOOP_PROBE_MS = 1_000;

/** One registry per process, with Node's default metrics labelled by service. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // Event-loop delay sampled every second, not prom-client's 10 ms: the 10 ms timer alone cost an
  // otherwise idle process ~0.25 % of a core (BENCHMARKS.md, idle), and percentiles over a scrape
  // interval need no finer samples.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_PROBE_MS });
  // Gauges named like counters (promtool refuses them); the per-type gauges beside them sum to the same.
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) {
    registry.removeSingleMetric(name);
  }
  return registry;
}
