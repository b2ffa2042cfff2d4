import { z } from "zod";
import type { RateLimits } from "./auth/rate-limiter.ts";

export const PlanLimitsEnv = z.record(
  z.string().regex(/^[a-z0-9-]{1,32}$/),
  z.strictObject({ per_minute: z.number().int().positive(), per_hour: z.number().int().positive() }),
);

/**
 * Rate limits by organization plan: the default plan ("free") takes RATE_LIMIT_PER_MINUTE/HOUR,
 * other plans come from RATE_LIMIT_PLANS; an unknown plan falls back to the default.
 */
export function planLimitsResolver(defaults: RateLimits, plans: z.output<typeof PlanLimitsEnv>) {
  const table = new Map<string, RateLimits>(
    Object.entries(plans).map(([plan, l]) => [plan, { perMinute: l.per_minute, perHour: l.per_hour }]),
  );
  return (plan: string): RateLimits => table.get(plan) ?? defaults;
}
