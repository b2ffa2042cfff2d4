import type { AnyRoute } from "../http/route.ts";
import { getAccountRoute } from "./account/get.ts";
import { loginRoute } from "./auth/login.ts";
import { logoutRoute } from "./auth/logout.ts";
import { signupRoute } from "./auth/signup.ts";
import { explorerInitRoute, explorerRoute } from "./docs/explorer.ts";
import { openApiRoute } from "./docs/openapi.ts";
import { rootRoute } from "./docs/root.ts";
import { createPolicyRoute } from "./escalation-policies/create.ts";
import { deletePolicyRoute } from "./escalation-policies/delete.ts";
import { getPolicyRoute } from "./escalation-policies/get.ts";
import { listPoliciesRoute } from "./escalation-policies/list.ts";
import { updatePolicyRoute } from "./escalation-policies/update.ts";
import { createExportRoute } from "./exports/create.ts";
import { downloadExportRoute } from "./exports/download.ts";
import { getExportRoute } from "./exports/get.ts";
import { listExportsRoute } from "./exports/list.ts";
import { regionsRoute } from "./fleet/regions.ts";
import { workersRoute } from "./fleet/workers.ts";
import { exitCodePingRoutes } from "./heartbeats/exit-code.ts";
import { failPingRoutes } from "./heartbeats/fail.ts";
import type { PingRoute } from "./heartbeats/record.ts";
import { startPingRoutes } from "./heartbeats/start.ts";
import { successPingRoutes } from "./heartbeats/success.ts";
import { acknowledgeIncidentRoute } from "./incidents/acknowledge.ts";
import { addIncidentUpdateRoute } from "./incidents/add-update.ts";
import { createIncidentRoute } from "./incidents/create.ts";
import { getIncidentRoute } from "./incidents/get.ts";
import { listIncidentsRoute } from "./incidents/list.ts";
import { resolveIncidentRoute } from "./incidents/resolve.ts";
import { patchIncidentRoute } from "./incidents/update.ts";
import { createKeyRoute } from "./keys/create.ts";
import { deleteKeyRoute } from "./keys/delete.ts";
import { listKeysRoute } from "./keys/list.ts";
import { createWindowRoute } from "./maintenance-windows/create.ts";
import { deleteWindowRoute } from "./maintenance-windows/delete.ts";
import { getWindowRoute } from "./maintenance-windows/get.ts";
import { listWindowsRoute } from "./maintenance-windows/list.ts";
import { updateWindowRoute } from "./maintenance-windows/update.ts";
import { listChecksRoute } from "./monitors/checks.ts";
import { createMonitorRoute } from "./monitors/create.ts";
import { deleteMonitorRoute } from "./monitors/delete.ts";
import { getMonitorRoute } from "./monitors/get.ts";
import { listMonitorsRoute } from "./monitors/list.ts";
import { pauseMonitorRoute, resumeMonitorRoute } from "./monitors/pause.ts";
import { listPingsRoute } from "./monitors/pings.ts";
import { updateMonitorRoute } from "./monitors/update.ts";
import { uptimeRoute } from "./monitors/uptime.ts";
import { createChannelRoute } from "./notifications/channels/create.ts";
import { deleteChannelRoute } from "./notifications/channels/delete.ts";
import { getChannelRoute } from "./notifications/channels/get.ts";
import { listChannelsRoute } from "./notifications/channels/list.ts";
import { testChannelRoute } from "./notifications/channels/test.ts";
import { updateChannelRoute } from "./notifications/channels/update.ts";
import { listDeliveriesRoute } from "./notifications/deliveries.ts";
import { createRuleRoute } from "./notifications/rules/create.ts";
import { deleteRuleRoute } from "./notifications/rules/delete.ts";
import { getRuleRoute } from "./notifications/rules/get.ts";
import { listRulesRoute } from "./notifications/rules/list.ts";
import { updateRuleRoute } from "./notifications/rules/update.ts";
import { badgeRoute } from "./public/badge.ts";
import { statusHtmlRoute } from "./public/status-html.ts";
import { publicStatusPageRoute } from "./public/status-page.ts";
import { slaReportRoute } from "./reports/sla.ts";
import { healthzRoute, metricsRoute, readyzRoute } from "./service.ts";
import { createPageRoute } from "./status-pages/create.ts";
import { deletePageRoute } from "./status-pages/delete.ts";
import { getPageRoute } from "./status-pages/get.ts";
import { listPagesRoute } from "./status-pages/list.ts";
import { previewPageRoute } from "./status-pages/preview.ts";
import { updatePageRoute } from "./status-pages/update.ts";
import { verifyDomainRoute } from "./status-pages/verify-domain.ts";
import { createUserRoute } from "./users/create.ts";
import { deleteUserRoute } from "./users/delete.ts";
import { listUsersRoute } from "./users/list.ts";

/** Every route Express serves; the OpenAPI document describes these and the pings. */
export const routes: AnyRoute[] = [
  signupRoute,
  loginRoute,
  logoutRoute,
  getAccountRoute,
  listUsersRoute,
  createUserRoute,
  deleteUserRoute,
  createKeyRoute,
  listKeysRoute,
  deleteKeyRoute,
  listMonitorsRoute,
  createMonitorRoute,
  getMonitorRoute,
  updateMonitorRoute,
  deleteMonitorRoute,
  pauseMonitorRoute,
  resumeMonitorRoute,
  listChecksRoute,
  uptimeRoute,
  listPingsRoute,
  listWindowsRoute,
  createWindowRoute,
  getWindowRoute,
  updateWindowRoute,
  deleteWindowRoute,
  listIncidentsRoute,
  createIncidentRoute,
  getIncidentRoute,
  patchIncidentRoute,
  addIncidentUpdateRoute,
  acknowledgeIncidentRoute,
  resolveIncidentRoute,
  listChannelsRoute,
  createChannelRoute,
  getChannelRoute,
  updateChannelRoute,
  deleteChannelRoute,
  testChannelRoute,
  listDeliveriesRoute,
  listRulesRoute,
  createRuleRoute,
  getRuleRoute,
  updateRuleRoute,
  deleteRuleRoute,
  listPoliciesRoute,
  createPolicyRoute,
  getPolicyRoute,
  updatePolicyRoute,
  deletePolicyRoute,
  slaReportRoute,
  listExportsRoute,
  createExportRoute,
  getExportRoute,
  downloadExportRoute,
  listPagesRoute,
  createPageRoute,
  getPageRoute,
  previewPageRoute,
  updatePageRoute,
  verifyDomainRoute,
  deletePageRoute,
  publicStatusPageRoute,
  statusHtmlRoute,
  badgeRoute,
  regionsRoute,
  workersRoute,
  rootRoute,
  openApiRoute,
  explorerRoute,
  explorerInitRoute,
  healthzRoute,
  readyzRoute,
  metricsRoute,
];

/** The heartbeat pings, served by their fast path (heartbeats/fast-path.ts), never by Express. */
export const pingRoutes: PingRoute[] = [
  // /start and /fail before /:exit_code, which would match them too.
  ...successPingRoutes,
  ...startPingRoutes,
  ...failPingRoutes,
  ...exitCodePingRoutes,
];
