import { createChannel } from "@upfleet/channels";
import { defineRoute } from "../../../http/route.ts";
import { ChannelBody, CreateChannelBody } from "./schema.ts";
import { channelUrlCheck } from "./url-check.ts";

export const createChannelRoute = defineRoute({
  method: "post",
  path: "/notifications/channels",
  operationId: "channels.create",
  summary: "Create a notification channel (webhook, slack, discord or email)",
  description:
    "`config` takes exactly the fields of the `type`. URLs are http(s) and may not point at a loopback, " +
    "private, link-local or otherwise non-public address, literally or through DNS now (400), unless the " +
    "deployment allows it; every send checks again. A webhook without a `secret` gets a generated " +
    "`whsec_…` one (Standard Webhooks), shown in full in this response only: reads mask it.",
  tag: "Notifications",
  access: { scope: "notifications:write" },
  body: CreateChannelBody,
  example: { name: "On-call webhook", type: "webhook", config: { url: "https://hooks.example.com/upfleet" } },
  responses: { 201: { description: "The new channel", schema: ChannelBody } },
  handle: async ({ body, principal, deps }) => ({
    status: 201,
    body: await createChannel(deps.db, channelUrlCheck(deps), deps.keyring, principal, body),
  }),
});
