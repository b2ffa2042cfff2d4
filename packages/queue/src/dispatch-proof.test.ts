import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type ProofMac, proveDispatch, rejectionOf } from "./dispatch-proof.ts";
import { type ResultJob, roundId } from "./jobs.ts";

/** A stand-in for keyedMac (packages/secrets tests the real one): key id "k", a fixed key. */
const mac: ProofMac = {
  sign: (message) => `k.${createHmac("sha256", "key").update(message).digest("base64url")}`,
  verify: (message, signature) => {
    if (!signature.startsWith("k.")) return "unknown_key";
    return signature === mac.sign(message) ? null : "signature";
  },
};

const round = { monitorId: "mon_a", organizationId: "org_a", region: "eu", tick: 60_000, intervalMs: 60_000 };
const result = (fields: Partial<ResultJob> = {}): ResultJob => ({
  ...round,
  workerId: "wrk_a",
  startedAt: 60_010,
  finishedAt: 60_100,
  result: { status: "up", responseMs: 90, httpStatus: 200, error: null, message: null, timings: {}, details: {} },
  proof: proveDispatch(mac, round),
  ...fields,
});
const jobId = roundId(round);

describe("dispatch proofs", () => {
  it("accept the result of the round dispatched, under its own job id", () => {
    expect(result().proof?.jobId).toBe("mon_a@eu@60000");
    expect(rejectionOf(mac, result(), jobId)).toBeNull();
  });

  it.for([
    ["unsigned", { proof: undefined }, jobId],
    ["unknown_key", { proof: { jobId, mac: "old.AAAA" } }, jobId],
    ["signature", { proof: { jobId, mac: "k.AAAA" } }, jobId],
    ["signature", { organizationId: "org_b" }, jobId],
    ["signature", { intervalMs: 10_000 }, jobId],
    ["monitor", { monitorId: "mon_b" }, "mon_b@eu@60000"],
    ["region", { region: "us" }, "mon_a@us@60000"],
    ["tick", { tick: 120_000 }, "mon_a@eu@120000"],
    ["job_id", {}, "mon_a@eu@60000-again"],
  ] as const)("refuse %s: %o", ([reason, fields, queuedAs]) => {
    expect(rejectionOf(mac, result(fields as Partial<ResultJob>), queuedAs)).toBe(reason);
  });
});
