import { describe, expect, it } from "vitest";
import type { components } from "../../api/client.ts";
import { regionRows, sortWorkers } from "./fleet-view.ts";

type Region = components["schemas"]["Region"];
type Worker = components["schemas"]["Worker"];

const region = (name: string, workers: number, dispatching = workers > 0): Region => ({
  name,
  workers,
  queue_depth: 0,
  oldest_job_age_ms: null,
  checks_per_minute: 0,
  schedule_lag_p50_ms: null,
  schedule_lag_p99_ms: null,
  dispatching,
  icmp_workers: workers,
  ping_dispatching: dispatching,
});
const worker = (id: string, region: string, started_at: string): Worker => ({
  id,
  region,
  hostname: `host-${id}`,
  version: "1.0.0",
  concurrency: 50,
  in_flight: 0,
  started_at,
  last_seen_at: started_at,
  schedule_lag_ms: null,
  icmp: true,
  icmp_problem: null,
});

describe("regionRows", () => {
  it("puts regions without workers or not sent checks first, saying which, then the rest by name", () => {
    const rows = regionRows([region("us-east", 1), region("eu", 2), region("ap", 0), region("sa", 1, false)]);
    expect(rows.map((r) => [r.name, r.problem])).toEqual([
      ["ap", "no workers"],
      ["sa", "checks not sent"],
      ["eu", null],
      ["us-east", null],
    ]);
  });
});

describe("sortWorkers", () => {
  it("groups workers by region, the longest-running first", () => {
    const sorted = sortWorkers([
      worker("w2", "eu", "2026-12-06T09:00:00.000Z"),
      worker("w9", "ap", "2026-12-06T10:00:00.000Z"),
      worker("w3", "eu", "2026-12-06T08:00:00.000Z"),
    ]);
    expect(sorted.map((w) => w.id)).toEqual(["w9", "w3", "w2"]);
  });
});
