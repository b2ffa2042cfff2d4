import { definePingRoutes } from "./record.ts";

export const successPingRoutes = definePingRoutes({
  suffix: "",
  operationId: "heartbeats.success",
  summary: "Success ping: the job ran; a down monitor comes back up",
  signal: () => ({ kind: "success", exitCode: null }),
});
