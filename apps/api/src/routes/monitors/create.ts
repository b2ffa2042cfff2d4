import { createMonitor } from "@upfleet/monitors";
import { defineRoute } from "../../http/route.ts";
import { CreateMonitorBody, MonitorBody } from "./schema.ts";

export const createMonitorRoute = defineRoute({
  method: "post",
  path: "/monitors",
  summary: "Create a monitor; its checks start at its next tick",
  description: "Write the fields of its `type` only: fields of another type are rejected.",
  tag: "Monitors",
  access: { scope: "monitors:write" },
  body: CreateMonitorBody,
  responses: { 201: { description: "The new monitor", schema: MonitorBody } },
  handle: async ({ body, principal, deps }) => ({
    status: 201,
    body: await createMonitor(deps.monitors, principal, body),
  }),
});
