// The data contracts alone (spec, result, expected status, resolver address), for code that only validates or builds
// queue payloads — the API, packages/queue — so it does not load the executors.

// The host-name and internal-name rules, so the API judges a monitor's targets as the worker will.
export { createInternalNames, type HostNameRules, hostNameProblem, type InternalNames } from "@upfleet/outbound";
export * from "./expected-status.ts";
export * from "./resolver.ts";
export * from "./result.ts";
export * from "./spec.ts";
