import { type MonitorDeps, pauseMonitor, resumeMonitor, type Tenant } from "@upfleet/monitors";
import { defineRoute } from "../../http/route.ts";
import { MonitorBody, MonitorParams } from "./schema.ts";

function toggleRoute(
  action: "pause" | "resume",
  summary: string,
  run: (deps: MonitorDeps, tenant: Tenant, id: string) => Promise<unknown>,
) {
  return defineRoute({
    method: "post",
    path: `/monitors/:id/${action}`,
    operationId: `monitors.${action}`,
    summary,
    tag: "Monitors",
    access: { scope: "monitors:write" },
    params: MonitorParams,
    entity: "Monitor",
    responses: { 200: { description: "The monitor", schema: MonitorBody } },
    handle: async ({ params, principal, deps }) => ({
      status: 200,
      body: await run(deps.monitors, principal, params.id),
    }),
  });
}

export const pauseMonitorRoute = toggleRoute("pause", "Pause a monitor: no checks, no alerts", pauseMonitor);
export const resumeMonitorRoute = toggleRoute("resume", "Resume a paused monitor from its next tick", resumeMonitor);
