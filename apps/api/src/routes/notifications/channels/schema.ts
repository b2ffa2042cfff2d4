import { CHANNEL_TYPES, MASK } from "@upfleet/channels";
import { z } from "zod";
import { idParam, listOf, Timestamp } from "../../../http/schemas.ts";

export { CreateChannelBody, PatchChannelBody } from "@upfleet/channels";

export const ChannelParams = idParam("chn");

const MaskedUrl = z.string().meta({ description: `Scheme and host only: https://hooks.slack.com/${MASK}` });

/** The channel object (API.md "Notifications"): secrets and webhook URLs are write-only, shown masked. */
export const ChannelBody = z
  .object({
    id: z.string(),
    key: z.string().nullable(),
    name: z.string(),
    type: z.enum(CHANNEL_TYPES),
    config: z.union([
      z.object({
        url: MaskedUrl,
        secret: z.string().meta({
          description: `Masked (whsec_${MASK} and the last 4 characters), except in the response that generated it`,
        }),
      }),
      z.object({ webhook_url: MaskedUrl }),
      z.object({ to: z.array(z.string()) }),
    ]),
    enabled: z.boolean(),
    disabled_reason: z
      .string()
      .nullable()
      .meta({ description: "Why the system disabled the channel (e.g. the receiver answered 410 Gone); read-only" }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "NotificationChannel" });

export const ChannelList = listOf(ChannelBody, "NotificationChannelList");
