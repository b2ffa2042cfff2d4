import { definePingRoutes } from "./record.ts";

export const failPingRoutes = definePingRoutes({
  suffix: "/fail",
  operationId: "heartbeats.fail",
  summary: "Failure ping: the job failed; the monitor is down at once",
  signal: () => ({ kind: "fail", exitCode: null }),
});
