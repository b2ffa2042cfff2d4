import { z } from "zod";

/** Where and how one channel is reached, read from its stored config at send time. */
export type ChannelTarget =
  | { type: "webhook"; url: string; secret: string | null }
  | { type: "slack"; url: string }
  | { type: "discord"; url: string }
  | { type: "email"; to: string[] };

const HttpUrl = z.url({ protocol: /^https?$/ });

// Loose objects: the channels API owns the strict write-time rules, and a field it adds later must
// not make every delivery fail.
const TARGETS: { [type: string]: z.ZodType<ChannelTarget> } = {
  webhook: z
    .looseObject({ url: HttpUrl, secret: z.string().min(1).nullish() })
    .transform(({ url, secret }) => ({ type: "webhook" as const, url, secret: secret ?? null })),
  slack: z
    .looseObject({ webhook_url: HttpUrl })
    .transform(({ webhook_url }) => ({ type: "slack" as const, url: webhook_url })),
  discord: z
    .looseObject({ webhook_url: HttpUrl })
    .transform(({ webhook_url }) => ({ type: "discord" as const, url: webhook_url })),
  email: z.looseObject({ to: z.array(z.email()).min(1) }).transform(({ to }) => ({ type: "email" as const, to })),
};

/**
 * The target of a stored channel, or why it cannot be sent to. Write-time validation makes the
 * second case rare (a hand-edited row, a future type), but a sender must never crash on it.
 */
export function channelTarget(type: string, config: unknown): ChannelTarget | { error: string } {
  const schema = Object.hasOwn(TARGETS, type) ? TARGETS[type] : undefined;
  if (!schema) return { error: `Unknown channel type "${type}"` };
  const parsed = schema.safeParse(config);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(config)").join(", ");
  return { error: `The ${type} channel's config is invalid (${fields})` };
}
