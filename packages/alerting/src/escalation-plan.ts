import { z } from "zod";

/**
 * When the steps of an escalation are due, which to fire and which to (re)schedule: pure rules over
 * an incident_escalations row. Steps are 0-based here; step n is due `delay_minutes` after the
 * incident opened (not after the step before), and steps fire in order, each once.
 */

export interface EscalationStep {
  delay_minutes: number;
  channel_ids: string[];
}

export interface EscalationState {
  steps: readonly EscalationStep[];
  /** The first step not fired yet. */
  nextStep: number;
  startedAt: Date;
  stoppedAt: Date | null;
}

const MINUTE_MS = 60_000;

const StoredStep = z.object({ delay_minutes: z.number().min(0), channel_ids: z.array(z.unknown()) });

/** The policy's steps as stored (a JSON snapshot): anything malformed is left out, never thrown on. */
export function parseSteps(json: unknown): EscalationStep[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((step) => {
    const parsed = StoredStep.safeParse(step);
    if (!parsed.success) return [];
    const channels = parsed.data.channel_ids.filter((c): c is string => typeof c === "string");
    return [{ delay_minutes: parsed.data.delay_minutes, channel_ids: channels }];
  });
}

export function stepDueAt(state: Pick<EscalationState, "steps" | "startedAt">, step: number): Date {
  const delay = state.steps[step]?.delay_minutes ?? 0;
  return new Date(state.startedAt.getTime() + delay * MINUTE_MS);
}

/**
 * The delayed jobs a running escalation needs: one per step not fired yet, due when the step is
 * (at once if overdue). Adding them again is harmless: their ids are deterministic.
 */
export function stepsToSchedule(state: EscalationState, now: Date): { step: number; delayMs: number }[] {
  if (state.stoppedAt) return [];
  const jobs: { step: number; delayMs: number }[] = [];
  for (let step = state.nextStep; step < state.steps.length; step++) {
    jobs.push({ step, delayMs: Math.max(0, stepDueAt(state, step).getTime() - now.getTime()) });
  }
  return jobs;
}

export interface FirePlan {
  /** Steps to fire now, in order (possibly earlier ones whose own job was lost or is late). */
  fire: number[];
  /** What next_step becomes. */
  nextStep: number;
  /** Every step has fired: the escalation is over. */
  done: boolean;
  /** The job came before its step was due (clocks of two machines differ): run it again then. */
  retryAt: Date | null;
}

/**
 * What the job of step `upTo` does: fire every due step from next_step up to `upTo`, so a step is
 * never skipped when its own job is late or lost, and none fires twice (next_step moves past it).
 */
export function stepsToFire(state: EscalationState, upTo: number, now: Date): FirePlan {
  const fire: number[] = [];
  let next = state.nextStep;
  let retryAt: Date | null = null;
  if (!state.stoppedAt) {
    const last = Math.min(upTo, state.steps.length - 1);
    while (next <= last) {
      const due = stepDueAt(state, next);
      if (due > now) {
        retryAt = due;
        break;
      }
      fire.push(next);
      next++;
    }
  }
  return { fire, nextStep: next, done: next >= state.steps.length, retryAt };
}
