export { badgeColour, renderBadge } from "./badge.ts";
export { TtlCache } from "./cache.ts";
export { CONTENT_SECURITY_POLICY, escapeHtml, renderNotFound, renderPage } from "./html.ts";
export {
  CreatePageBody,
  hostnameProblem,
  MAX_MONITORS_PER_SECTION,
  MAX_SECTIONS,
  PatchPageBody,
  Slug,
} from "./schemas.ts";
export {
  createPage,
  deletePage,
  getPage,
  listPages,
  type PageRules,
  presentPage,
  type Tenant,
  updatePage,
} from "./service.ts";
export { BADGE_DAYS, PublicPages, type PublicPagesOptions } from "./site.ts";
export { COMPONENT_STATES, type ComponentState, OVERALL_STATES, type OverallState } from "./states.ts";
export { BAR_DAYS, type PublicComponent, type PublicIncident, type PublicView, RECENT_INCIDENT_DAYS } from "./view.ts";
