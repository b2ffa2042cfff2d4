export { GuardedHttpAgent, GuardedHttpsAgent } from "./agents.ts";
export { internalNamesOf, type OutboundEnv, outboundEnv } from "./env.ts";
export {
  BlockedAddressError,
  createOutboundGuard,
  type OutboundGuard,
  type OutboundGuardOptions,
  parseCidrList,
  type Resolver,
} from "./guard.ts";
export { HOST_NAME_MAX_LENGTH, type HostNameRules, hostNameProblem, toAsciiName } from "./host-name.ts";
export {
  BUILTIN_INTERNAL_SUFFIXES,
  createInternalNames,
  type InternalNames,
  type InternalNamesOptions,
  parseSuffixList,
} from "./internal-names.ts";
export { createServerResolver } from "./server-resolver.ts";
