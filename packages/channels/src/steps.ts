import type { ErrorDetail } from "@upfleet/errors";

/** One escalation step, as the API writes it and the database stores it. */
export interface PolicyStep {
  delay_minutes: number;
  channel_ids: string[];
}

export const MAX_STEPS = 10;
export const MAX_DELAY_MINUTES = 1440;

/**
 * The order rule a schema cannot say per item: step 1 fires as the incident opens (delay 0), and each
 * later step strictly after the one before it, since every delay counts from the incident's start.
 */
export function stepOrderProblems(steps: readonly Pick<PolicyStep, "delay_minutes">[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  steps.forEach((step, index) => {
    if (index === 0) {
      if (step.delay_minutes !== 0) {
        problems.push({
          path: "steps.0.delay_minutes",
          message: "must be 0: the first step fires when the incident opens",
        });
      }
      return;
    }
    const previous = steps[index - 1]!.delay_minutes;
    if (step.delay_minutes <= previous) {
      problems.push({
        path: `steps.${index}.delay_minutes`,
        message: `must be greater than the previous step's ${previous}: delays count from the incident's start and strictly increase`,
      });
    }
  });
  return problems;
}
