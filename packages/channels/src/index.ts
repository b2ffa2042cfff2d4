export {
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  type Tenant,
  updateChannel,
} from "./channels-service.ts";
export {
  CHANNEL_CONFIGS,
  CHANNEL_TYPES,
  type ChannelConfig,
  type ChannelTypeName,
  type ConfigOf,
  MAX_EMAIL_RECIPIENTS,
} from "./config.ts";
export { NOTIFICATION_EVENTS, type NotificationEvent } from "./events.ts";
export { MASK, maskSecret, maskUrl } from "./mask.ts";
export { type RoutedEvent, type RoutingRule, ruleMatches } from "./matcher.ts";
export { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from "./policies-service.ts";
export { type PresentedChannel, presentChannel, presentPolicy, presentRule } from "./present.ts";
export { createRule, deleteRule, getRule, listRules, updateRule } from "./rules-service.ts";
export {
  type ChannelPatch,
  CreateChannelBody,
  CreatePolicyBody,
  CreateRuleBody,
  type NewChannel,
  type NewPolicy,
  type NewRule,
  PatchChannelBody,
  PatchPolicyBody,
  PatchRuleBody,
  type PolicyPatch,
  type RulePatch,
} from "./schemas.ts";
export { generateWebhookSecret } from "./secret.ts";
export { MAX_DELAY_MINUTES, MAX_STEPS, type PolicyStep, stepOrderProblems } from "./steps.ts";
export { createUrlCheck, type UrlCheck, type UrlPolicyOptions } from "./url-policy.ts";
