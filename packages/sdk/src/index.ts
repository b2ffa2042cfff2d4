export { type ClientOptions, createClient, type UpfleetClient } from "./client.ts";
export { API_KEY_SCOPES, NOTIFICATION_EVENTS } from "./enums.ts";
export { UpfleetError } from "./errors.ts";
export { type Page, paginate } from "./paginate.ts";
export type { RetryOptions } from "./retry.ts";
export type { components, operations, paths } from "./schema.d.ts";
