export {
  checkPendingClaims,
  createTxtLookup,
  type DomainRules,
  parseDnsServers,
  recheckVerifiedClaims,
  type TxtLookup,
  verifyPageDomain,
} from "./domain-verification.ts";
export { forgetMonitorInPages } from "./forget-monitor.ts";
export { CONTENT_SECURITY_POLICY, escapeHtml, renderNotFound, renderPage } from "./html.ts";
export { CreatePageBody, hostnameProblem, PatchPageBody } from "./schemas.ts";
export { createPage, deletePage, getPage, listPages, previewPage, type Tenant, updatePage } from "./service.ts";
export { BADGE_DAYS, PublicPages } from "./site.ts";
export { COMPONENT_STATES, OVERALL_STATES } from "./states.ts";
export type { PublicIncident, PublicView } from "./view.ts";
