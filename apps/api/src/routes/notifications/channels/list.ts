import { listChannels } from "@upfleet/channels";
import { defineRoute } from "../../../http/route.ts";
import { KeyedPageQuery } from "../../../http/schemas.ts";
import { ChannelList } from "./schema.ts";

export const listChannelsRoute = defineRoute({
  method: "get",
  path: "/notifications/channels",
  operationId: "channels.list",
  summary: "List notification channels, newest first",
  tag: "Notifications",
  access: { scope: "notifications:read" },
  query: KeyedPageQuery,
  responses: { 200: { description: "Channels, secrets and URLs masked", schema: ChannelList } },
  handle: async ({ query: { key, ...page }, principal, deps }) => ({
    status: 200,
    body: await listChannels(deps.db, principal, { key }, page),
  }),
});
