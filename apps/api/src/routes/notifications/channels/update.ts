import { updateChannel } from "@upfleet/channels";
import { defineRoute } from "../../../http/route.ts";
import { ChannelBody, ChannelParams, PatchChannelBody } from "./schema.ts";
import { channelUrlCheck } from "./url-check.ts";

export const updateChannelRoute = defineRoute({
  method: "patch",
  path: "/notifications/channels/:id",
  operationId: "channels.update",
  summary: "Rename, enable or disable a channel, or change its config",
  description:
    "`config` is merged onto the stored config and must stay valid for the channel's type (the type " +
    "cannot change). A webhook keeps its secret unless a new one is given; new URLs are checked as on " +
    "create. `enabled: true` clears `disabled_reason`.",
  tag: "Notifications",
  access: { scope: "notifications:write" },
  params: ChannelParams,
  entity: "Notification channel",
  body: PatchChannelBody,
  example: { enabled: false },
  responses: { 200: { description: "The channel", schema: ChannelBody } },
  handle: async ({ params, body, principal, deps }) => ({
    status: 200,
    body: await updateChannel(deps.db, channelUrlCheck(deps), deps.keyring, principal, params.id, body),
  }),
});
