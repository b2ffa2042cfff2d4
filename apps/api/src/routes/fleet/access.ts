import type { Principal } from "../../auth/principal.ts";
import type { ApiDeps } from "../../deps.ts";

/**
 * Fleet data (worker host names, versions, queue depths) is the deployment's, not any tenant's:
 * only users listed in FLEET_ADMIN_EMAILS may know these routes exist (a route's `visibleTo`);
 * anyone else, whatever their scopes, gets the very 404 an unknown path gets.
 */
export function isFleetAdmin(principal: Principal, deps: Pick<ApiDeps, "config">): boolean {
  return deps.config.FLEET_ADMIN_EMAILS.has(principal.email.toLowerCase());
}
