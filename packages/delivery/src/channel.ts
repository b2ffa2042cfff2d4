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
const CONFIGS = {
  webhook: z.looseObject({ url: HttpUrl, secret: z.string().min(1).nullish() }),
  slack: z.looseObject({ webhook_url: HttpUrl }),
  discord: z.looseObject({ webhook_url: HttpUrl }),
  email: z.looseObject({ to: z.array(z.email()).min(1) }),
} as const;

/**
 * The target of a stored channel, or why it cannot be sent to. Write-time validation makes the
 * second case rare (a hand-edited row, a future type), but a sender must never crash on it.
 */
export function channelTarget(type: string, config: unknown): ChannelTarget | { error: string } {
  if (!(type in CONFIGS)) return { error: `Unknown channel type "${type}"` };
  const parsed = CONFIGS[type as keyof typeof CONFIGS].safeParse(config);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(config)").join(", ");
    return { error: `The ${type} channel's config is invalid (${fields})` };
  }
  const data = parsed.data as Record<string, unknown>;
  switch (type) {
    case "webhook":
      return { type, url: data.url as string, secret: (data.secret as string | null | undefined) ?? null };
    case "slack":
    case "discord":
      return { type, url: data.webhook_url as string };
    default:
      return { type: "email", to: data.to as string[] };
  }
}
