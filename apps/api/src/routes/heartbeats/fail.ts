import { pingRoutes } from "./record.ts";

export const failPingRoutes = pingRoutes({
  suffix: "/fail",
  summary: "Failure ping: the job failed; the monitor is down at once",
  signal: () => ({ kind: "fail", exitCode: null }),
});
