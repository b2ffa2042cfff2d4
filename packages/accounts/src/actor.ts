import type { Role } from "@upfleet/db";

/** Who is acting: every service call is scoped by this organization. */
export interface Actor {
  organizationId: string;
  userId: string;
  role: Role;
  /** The API key acting, if any: it may hand out no scope it lacks itself. */
  apiKey?: { scopes: readonly string[] } | null;
}
