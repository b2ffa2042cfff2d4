import { jsonEnv, positiveInt } from "@upfleet/config";
import { z } from "zod";

export const DAY_MS = 86_400_000;

/** How long one organization's data is kept. */
export interface Retention {
  /** Raw check results (GET /monitors/:id/checks). */
  checkDays: number;
  /** Hourly rollups (24h and 7d uptime). */
  hourlyRollupDays: number;
  /** Daily rollups (30d and 90d uptime, status-page bars, SLA). */
  dailyRollupDays: number;
  /** Heartbeat pings: the newest this many per monitor, and none older than pingDays. */
  pingsPerMonitor: number;
  pingDays: number;
  /** Finished notifications and their delivery attempts. */
  deliveryDays: number;
}

const PlanRetention = z.strictObject({
  check_days: z.number().int().positive(),
  hourly_rollup_days: z.number().int().positive(),
  daily_rollup_days: z.number().int().positive(),
  pings_per_monitor: z.number().int().positive(),
  ping_days: z.number().int().positive(),
  delivery_days: z.number().int().positive(),
});

/** What the API and the alerter read (README: Retention). */
export const retentionEnv = {
  RETENTION_CHECK_DAYS: positiveInt(30),
  RETENTION_HOURLY_ROLLUP_DAYS: positiveInt(90),
  RETENTION_DAILY_ROLLUP_DAYS: positiveInt(730),
  RETENTION_PINGS_PER_MONITOR: positiveInt(1000),
  RETENTION_PING_DAYS: positiveInt(30),
  RETENTION_DELIVERY_DAYS: positiveInt(30),
  /** Processed outbox rows (monitor and incident events): internal, the same for every plan. */
  RETENTION_EVENT_DAYS: positiveInt(7),
  /** JSON: {"team": {"check_days": 90}}: a plan's overrides; what it leaves out is the default. */
  RETENTION_PLANS: jsonEnv(z.record(z.string().regex(/^[a-z0-9-]{1,32}$/), PlanRetention.partial()), "{}"),
};

export type RetentionEnv = { [K in keyof typeof retentionEnv]: z.output<(typeof retentionEnv)[K]> };

export interface RetentionPolicy {
  /** The retention of an organization on `plan` (an unknown plan gets the defaults). */
  of(plan: string): Retention;
  /** Every plan with overrides, and the defaults under "" (what a batch of organizations may need). */
  readonly all: ReadonlyMap<string, Retention>;
  /** The longest raw-check retention of any plan: check partitions older than it are dropped. */
  readonly longestCheckDays: number;
  readonly eventDays: number;
}

export function retentionPolicy(env: RetentionEnv): RetentionPolicy {
  const defaults: Retention = {
    checkDays: env.RETENTION_CHECK_DAYS,
    hourlyRollupDays: env.RETENTION_HOURLY_ROLLUP_DAYS,
    dailyRollupDays: env.RETENTION_DAILY_ROLLUP_DAYS,
    pingsPerMonitor: env.RETENTION_PINGS_PER_MONITOR,
    pingDays: env.RETENTION_PING_DAYS,
    deliveryDays: env.RETENTION_DELIVERY_DAYS,
  };
  const all = new Map<string, Retention>([["", defaults]]);
  for (const [plan, o] of Object.entries(env.RETENTION_PLANS)) {
    all.set(plan, {
      checkDays: o.check_days ?? defaults.checkDays,
      hourlyRollupDays: o.hourly_rollup_days ?? defaults.hourlyRollupDays,
      dailyRollupDays: o.daily_rollup_days ?? defaults.dailyRollupDays,
      pingsPerMonitor: o.pings_per_monitor ?? defaults.pingsPerMonitor,
      pingDays: o.ping_days ?? defaults.pingDays,
      deliveryDays: o.delivery_days ?? defaults.deliveryDays,
    });
  }
  return {
    of: (plan) => all.get(plan) ?? defaults,
    all,
    longestCheckDays: Math.max(...[...all.values()].map((r) => r.checkDays)),
    eventDays: env.RETENTION_EVENT_DAYS,
  };
}

/** `days` whole days before `now`. */
export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** Midnight UTC of the day `at` falls in. */
export const utcDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/**
 * The oldest instant GET /monitors/:id/checks can still show for an organization: raw results of
 * whole days are dropped, so the edge is a UTC midnight.
 */
export const checksRetainedFrom = (retention: Retention, now: Date) => utcDay(daysBefore(now, retention.checkDays));
