export { createChannel, deleteChannel, getChannel, listChannels, updateChannel } from "./channels-service.ts";
export { CHANNEL_TYPES } from "./config.ts";
export { NOTIFICATION_EVENTS, type NotificationEvent } from "./events.ts";
export { channelCredentials, MASK } from "./mask.ts";
export { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from "./policies-service.ts";
export type { RoutingRule } from "./present.ts";
export { createRule, deleteRule, forgetMonitorInRules, getRule, listRules, updateRule } from "./rules-service.ts";
export {
  CreateChannelBody,
  CreatePolicyBody,
  CreateRuleBody,
  PatchChannelBody,
  PatchPolicyBody,
  PatchRuleBody,
} from "./schemas.ts";
export { createUrlCheck, type UrlCheck } from "./url-policy.ts";
