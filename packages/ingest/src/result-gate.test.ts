import type { Logger } from "@upfleet/logger";
import type { StreamedResult } from "@upfleet/queue";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ResultGate } from "./result-gate.ts";
import { resultJob } from "./testing.ts";

const round = { monitorId: "mon_a", organizationId: "org_a", region: "eu", tick: 60_000, intervalMs: 60_000 };
const jobId = "mon_a@eu@60000";
/** Every MAC holds: what is left to refuse is a missing proof or a field the proof does not name. */
const proofs = { sign: () => "k.x", verify: () => null };

function gate() {
  const warnings: Record<string, unknown>[] = [];
  const logger = { warn: (fields: Record<string, unknown>) => warnings.push(fields) } as unknown as Logger;
  const metrics = new Registry();
  const g = new ResultGate({ proofs, logger, metrics });
  const rejected = async () =>
    Object.fromEntries(
      (await metrics.getSingleMetric("upfleet_results_rejected_total")?.get())?.values.map((v) => [
        v.labels.reason,
        v.value,
      ]) ?? [],
    );
  return { g, warnings, rejected };
}

const signed = { ...resultJob({ ...round, status: "up" }), proof: { jobId, mac: "k.x" } };
/** A result as read from `region`'s stream under `id`. */
const read = (result: StreamedResult["result"], id = jobId, region = "eu"): StreamedResult => ({ region, id, result });

afterEach(() => vi.useRealTimers());

describe("ResultGate", () => {
  it("admits a result whose proof names its round, from its region's stream, and drops the rest counted by reason", async () => {
    const { g, rejected } = gate();
    const admitted = g.admit([
      read(signed),
      read({ ...signed, proof: undefined }),
      read({ ...signed, monitorId: "mon_b" }, "mon_b@eu@60000"),
      read({ ...signed, region: "us" }, "mon_a@us@60000"),
      // A real result of eu's, written to the us stream (which eu's workers cannot write: the ACL).
      read(signed, jobId, "us"),
      read(null, "garbage"),
    ]);
    expect(admitted).toEqual([signed]);
    expect(await rejected()).toMatchObject({ unsigned: 1, monitor: 1, region: 2, malformed: 1, tick: 0, signature: 0 });
  });

  it("logs each reason at most once a minute, with how many were dropped since", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { g, warnings, rejected } = gate();
    for (let i = 0; i < 3; i++) g.admit([read({ ...signed, proof: undefined })]);
    g.admit([read({ ...signed, tick: 120_000 }, "mon_a@eu@120000")]);
    expect(warnings.map((w) => [w.reason, w.dropped])).toEqual([
      ["unsigned", 1],
      ["tick", 1],
    ]);
    vi.advanceTimersByTime(60_000);
    g.admit([read({ ...signed, proof: undefined })]);
    expect(warnings.at(-1)).toMatchObject({ reason: "unsigned", dropped: 3, monitorId: "mon_a", jobId });
    expect(await rejected()).toMatchObject({ unsigned: 4, tick: 1 });
  });
});
