import type { ResultJob } from "@upfleet/queue";

/** A worker's result as tests feed it to the ingest: a 503 when down, 115 ms otherwise. */
export function resultJob(job: {
  monitorId: string;
  organizationId: string;
  region: string;
  tick: number;
  intervalMs: number;
  status: "up" | "degraded" | "down";
}): ResultJob {
  const { status, ...round } = job;
  return {
    ...round,
    workerId: "wrk_test",
    startedAt: job.tick + 5,
    finishedAt: job.tick + 120,
    result: {
      status,
      responseMs: status === "down" ? null : 115,
      httpStatus: status === "down" ? 503 : 200,
      error: status === "down" ? "status" : null,
      message: null,
      timings: { total: 115 },
      details: {},
    },
  };
}
