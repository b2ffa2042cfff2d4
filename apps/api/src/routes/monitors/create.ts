import { createMonitor } from "@upfleet/monitors";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { assertNoInternalTargets } from "./internal-targets.ts";
import { CreateMonitorBody, MonitorBody } from "./schema.ts";

export const createMonitorRoute = defineRoute({
  method: "post",
  path: "/monitors",
  operationId: "monitors.create",
  summary: "Create a monitor; its checks start at its next tick",
  description:
    "Write the fields of its `type` only: fields of another type are rejected. An `escalation_policy_id` " +
    "must name one of your organization's escalation policies.",
  tag: "Monitors",
  access: { scope: "monitors:write" },
  body: CreateMonitorBody,
  example: { type: "http", name: "Home page", url: "https://example.com/", interval_seconds: 60 },
  responses: {
    201: { description: "The new monitor", schema: MonitorBody },
    404: { description: "No such escalation policy in your organization", schema: ErrorBody },
  },
  handle: async ({ body, principal, deps }) => {
    assertNoInternalTargets(deps, body);
    return { status: 201, body: await createMonitor(deps.monitors, principal, body) };
  },
});
