import enums from "./enums.json" with { type: "json" };
import type { components } from "./schema.d.ts";

/**
 * The API's enums that a client shows as lists, in the API's order. enums.json is generated with
 * schema.d.ts from the same document (`pnpm --filter @upfleet/sdk generate`), so these are complete.
 */
export const API_KEY_SCOPES = enums.apiKeyScopes as readonly components["schemas"]["ApiKey"]["scopes"][number][];

export const NOTIFICATION_EVENTS = enums.notificationEvents as readonly NonNullable<
  components["schemas"]["NotificationRule"]["events"]
>[number][];
