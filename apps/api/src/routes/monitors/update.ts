import { updateMonitor } from "@upfleet/monitors";
import { defineRoute } from "../../http/route.ts";
import { assertNoInternalTargets } from "./internal-targets.ts";
import { MonitorBody, MonitorParams, PatchMonitorBody } from "./schema.ts";

export const updateMonitorRoute = defineRoute({
  method: "patch",
  path: "/monitors/:id",
  operationId: "monitors.update",
  summary: "Change a monitor; the new settings apply from its next tick",
  description:
    "The type cannot change. The merged monitor is validated as a whole for its type. A new " +
    "`escalation_policy_id` must name one of your organization's escalation policies (404 otherwise).",
  tag: "Monitors",
  access: { scope: "monitors:write" },
  params: MonitorParams,
  entity: "Monitor",
  body: PatchMonitorBody,
  example: { interval_seconds: 30, tags: ["production"] },
  responses: { 200: { description: "The updated monitor", schema: MonitorBody } },
  handle: async ({ params, body, principal, deps }) => {
    assertNoInternalTargets(deps, body);
    return { status: 200, body: await updateMonitor(deps.monitors, principal, params.id, body) };
  },
});
