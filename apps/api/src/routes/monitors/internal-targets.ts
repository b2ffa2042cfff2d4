import { ValidationError } from "@upfleet/errors";
import { internalTargetProblems } from "@upfleet/monitors";
import { type InternalNames, internalNamesOf } from "@upfleet/outbound";
import type { ApiConfig } from "../../config.ts";
import type { ApiDeps } from "../../deps.ts";

const byConfig = new WeakMap<ApiConfig, InternalNames>();

/**
 * The write-time half of the internal-name rule for monitors (the worker's guard is the check-time
 * half): the hosts a create or a PATCH writes are refused when internal by the deployment's
 * INTERNAL_DNS_SUFFIXES and INTERNAL_DNS_ALLOW_SUFFIXES, a 400 naming each field.
 */
export function assertNoInternalTargets(deps: ApiDeps, written: Record<string, unknown>): void {
  let names = byConfig.get(deps.config);
  if (!names) {
    names = internalNamesOf(deps.config);
    byConfig.set(deps.config, names);
  }
  const problems = internalTargetProblems(written, names);
  if (problems.length) throw new ValidationError(problems);
}
