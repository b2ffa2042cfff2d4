/** Every event a rule can route (API.md "Notifications"). */
export const NOTIFICATION_EVENTS = [
  "monitor.down",
  "monitor.up",
  "monitor.degraded",
  "ssl.expiring",
  "incident.created",
  "incident.updated",
  "incident.acknowledged",
  "incident.resolved",
  "export.completed",
] as const;

export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
