import { definePingRoutes } from "./record.ts";

export const startPingRoutes = definePingRoutes({
  suffix: "/start",
  operationId: "heartbeats.start",
  summary: "Start ping: the job started (its finish measures the run; a run past the max runtime is down)",
  signal: () => ({ kind: "start", exitCode: null }),
});
