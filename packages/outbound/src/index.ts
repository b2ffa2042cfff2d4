export { GuardedHttpAgent, GuardedHttpsAgent } from "./agents.ts";
export {
  BlockedAddressError,
  createOutboundGuard,
  type OutboundGuard,
  type OutboundGuardOptions,
  parseCidrList,
  type Resolver,
} from "./guard.ts";
