import { ValidationError } from "@upfleet/errors";
import { internalTargetProblems } from "@upfleet/monitors";
import type { ApiDeps } from "../../deps.ts";

/**
 * The write-time half of the internal-name rule for monitors (the worker's guard is the check-time
 * half): the hosts a create or a PATCH writes are refused when internal by the deployment's
 * INTERNAL_DNS_SUFFIXES and INTERNAL_DNS_ALLOW_SUFFIXES, a 400 naming each field.
 */
export function assertNoInternalTargets(deps: ApiDeps, written: Record<string, unknown>): void {
  const problems = internalTargetProblems(written, deps.internalNames);
  if (problems.length) throw new ValidationError(problems);
}
