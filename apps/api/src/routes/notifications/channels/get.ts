import { getChannel } from "@upfleet/channels";
import { defineRoute } from "../../../http/route.ts";
import { ChannelBody, ChannelParams } from "./schema.ts";

export const getChannelRoute = defineRoute({
  method: "get",
  path: "/notifications/channels/:id",
  operationId: "channels.get",
  summary: "Get a notification channel (secrets and URLs masked)",
  tag: "Notifications",
  access: { scope: "notifications:read" },
  params: ChannelParams,
  entity: "Notification channel",
  responses: { 200: { description: "The channel", schema: ChannelBody } },
  handle: async ({ params, principal, deps }) => ({
    status: 200,
    body: await getChannel(deps.db, principal, params.id),
  }),
});
