import { deleteChannel } from "@upfleet/channels";
import { ErrorBody } from "../../../http/openapi.ts";
import { defineRoute } from "../../../http/route.ts";
import { ChannelParams } from "./schema.ts";

export const deleteChannelRoute = defineRoute({
  method: "delete",
  path: "/notifications/channels/:id",
  operationId: "channels.delete",
  summary: "Delete a notification channel",
  description:
    "A channel that rules or escalation policies still send to is not deleted: the 409 names them, to " +
    "be changed first. Deleted channels disappear from lists; their past deliveries stay.",
  tag: "Notifications",
  access: { scope: "notifications:write" },
  params: ChannelParams,
  entity: "Notification channel",
  responses: {
    204: { description: "Deleted" },
    409: { description: "Rules or escalation policies use the channel", schema: ErrorBody },
  },
  handle: async ({ params, principal, deps }) => {
    await deleteChannel(deps.db, principal, params.id);
    return { status: 204 };
  },
});
