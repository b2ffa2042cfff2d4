/** What a status page says about each monitor and about the whole: pure rules, no I/O. */

export const OVERALL_STATES = [
  "operational",
  "degraded",
  "partial_outage",
  "major_outage",
  "under_maintenance",
] as const;
export type OverallState = (typeof OVERALL_STATES)[number];

/** `paused` and `no_data` (never checked yet) are shown as such and leave the overall state alone. */
export const COMPONENT_STATES = ["operational", "degraded", "outage", "maintenance", "paused", "no_data"] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

export interface MonitorState {
  status: "pending" | "up" | "degraded" | "down";
  paused: boolean;
}

/**
 * A paused monitor is shown as paused rather than hidden: the owner listed it, and a component that
 * silently disappears reads as a broken page. Maintenance wins over the checked state: during a
 * window the monitor may well be down, on purpose.
 */
export function componentState(monitor: MonitorState, inMaintenance: boolean): ComponentState {
  if (monitor.paused) return "paused";
  if (inMaintenance) return "maintenance";
  switch (monitor.status) {
    case "up":
      return "operational";
    case "degraded":
      return "degraded";
    case "down":
      return "outage";
    default:
      return "no_data";
  }
}

/** The worst of the watched components: all down is a major outage, some a partial one. */
export function overallState(states: readonly ComponentState[]): OverallState {
  const watched = states.filter((state) => state !== "paused" && state !== "no_data");
  const down = watched.filter((state) => state === "outage").length;
  if (down > 0) return down === watched.length ? "major_outage" : "partial_outage";
  if (watched.includes("degraded")) return "degraded";
  if (watched.includes("maintenance")) return "under_maintenance";
  return "operational";
}

export const DAY_MS = 86_400_000;

/** Midnight UTC of the day `at` falls in. */
export function utcDay(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}
