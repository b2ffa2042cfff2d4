/**
 * The alerting forms as data: each channel type's config fields, and how the forms' values become
 * the API's bodies (and back). The API validates; this only shapes values.
 */
import type { components } from "../../api/client.ts";

type Channel = components["schemas"]["NotificationChannel"];
type Delivery = components["schemas"]["NotificationDelivery"];
export type ChannelType = Channel["type"];
export type RuleEvent = NonNullable<components["schemas"]["NotificationRule"]["events"]>[number];

export const CHANNEL_TYPES: readonly ChannelType[] = ["webhook", "slack", "discord", "email"];

export interface ConfigField {
  /** The field's path in the API's body (`config.url`), which is where its errors point. */
  name: string;
  label: string;
  kind: "url" | "text" | "list";
  optional?: boolean;
  hint?: string;
}

const CONFIG_FIELDS: Record<ChannelType, ConfigField[]> = {
  webhook: [
    { name: "config.url", label: "URL", kind: "url" },
    {
      name: "config.secret",
      label: "Signing secret",
      kind: "text",
      optional: true,
      hint: "Empty on create: Upfleet generates one and shows it once",
    },
  ],
  slack: [{ name: "config.webhook_url", label: "Slack incoming webhook URL", kind: "url" }],
  discord: [{ name: "config.webhook_url", label: "Discord webhook URL", kind: "url" }],
  email: [{ name: "config.to", label: "Recipients", kind: "list", hint: "Comma-separated addresses" }],
};

export const configFields = (type: ChannelType): ConfigField[] => CONFIG_FIELDS[type];

/** Form values are strings, as FormData gives them (a checkbox: "on" or absent). */
export type FormValues = Record<string, string | undefined>;

const splitList = (text: string | undefined): string[] =>
  (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * The create or patch body of a channel. Secrets and webhook URLs read back masked; sending the masked
 * value back means "unchanged" to the API, so an edit sends every config field as shown.
 */
export function channelBody(type: ChannelType, values: FormValues, editing: boolean): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of configFields(type)) {
    const key = field.name.slice("config.".length);
    const text = values[field.name]?.trim() ?? "";
    if (field.optional && text === "") continue;
    config[key] = field.kind === "list" ? splitList(text) : text;
  }
  return {
    ...(editing ? {} : { type }),
    name: values.name?.trim() ?? "",
    enabled: values.enabled === "on",
    config,
  };
}

/** A stored channel as form values: the inverse of channelBody. */
export function channelValues(channel: Channel): FormValues {
  const values: FormValues = { name: channel.name, enabled: channel.enabled ? "on" : undefined };
  const config = channel.config as Record<string, unknown>;
  for (const field of configFields(channel.type)) {
    const value = config[field.name.slice("config.".length)];
    if (value !== undefined && value !== null)
      values[field.name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return values;
}

/** Where a channel sends, in a few words for the list: the (masked) URL or the addresses. */
export function channelTarget(channel: Channel): string {
  const config = channel.config as { url?: string; webhook_url?: string; to?: string[] };
  return config.url ?? config.webhook_url ?? config.to?.join(", ") ?? "—";
}

/** A delivery attempt's outcome in words: "succeeded: HTTP 200 in 12 ms", "failed: timeout". */
export function deliveryOutcome(delivery: Delivery): string {
  const parts = [
    delivery.response_status !== null ? `HTTP ${delivery.response_status}` : null,
    delivery.error,
    delivery.duration_ms !== null ? `in ${delivery.duration_ms} ms` : null,
  ].filter(Boolean);
  return parts.length ? `${delivery.status}: ${parts.join(", ")}` : delivery.status;
}

/**
 * A rule's body. Nothing chosen means "all" to the API (null): every event, every monitor, every
 * tag; an escalation policy left at "None" is null too.
 */
export function ruleBody(
  values: FormValues,
  chosen: { events: RuleEvent[]; monitorIds: string[]; channelIds: string[] },
): Record<string, unknown> {
  const tags = splitList(values.tags);
  return {
    name: values.name?.trim() ?? "",
    events: chosen.events.length ? chosen.events : null,
    monitor_ids: chosen.monitorIds.length ? chosen.monitorIds : null,
    tags: tags.length ? tags : null,
    channel_ids: chosen.channelIds,
    escalation_policy_id: values.escalation_policy_id || null,
  };
}

export interface StepDraft {
  /** As typed: a step whose delay does not parse is sent as typed, so the API's message lands on it. */
  delay: string;
  channelIds: string[];
}

export function stepsBody(steps: StepDraft[]): { delay_minutes: number; channel_ids: string[] }[] {
  return steps.map((step) => {
    const delay = Number(step.delay.trim());
    return {
      delay_minutes: step.delay.trim() !== "" && Number.isFinite(delay) ? delay : (step.delay as unknown as number),
      channel_ids: step.channelIds,
    };
  });
}
