import { AppError } from "@upfleet/errors";
import type { Request } from "express";
import type { Principal } from "../../auth/principal.ts";
import type { ApiConfig } from "../../config.ts";

/**
 * Fleet data (worker host names, versions, queue depths) is the deployment's, not any tenant's:
 * only users listed in FLEET_ADMIN_EMAILS read it. Anyone else gets the very 404 an unknown path
 * gets, so the endpoints do not even show they exist.
 */
export function requireFleetAdmin(principal: Principal, config: Pick<ApiConfig, "FLEET_ADMIN_EMAILS">, req: Request) {
  if (!config.FLEET_ADMIN_EMAILS.has(principal.email.toLowerCase())) {
    throw new AppError("not_found", `No route ${req.method} ${req.path}`);
  }
}
