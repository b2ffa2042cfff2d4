import { sendTestDelivery } from "@upfleet/delivery";
import { defineRoute } from "../../../http/route.ts";
import { DeliveryBody } from "../schema.ts";
import { ChannelParams } from "./schema.ts";

export const testChannelRoute = defineRoute({
  method: "post",
  path: "/notifications/channels/:id/test",
  operationId: "channels.test",
  summary: "Send a test event to a channel now and return how the delivery went",
  description:
    'Sends event "test" (X-Upfleet-Event: test; the body has the shape of a monitor.down payload with ' +
    "sample values and `test: true`) through the same sender, signatures and SSRF guard as real " +
    "notifications, waiting for the answer (at most 10 s). It is recorded in the deliveries log as " +
    "attempt 1 of no notification and never retried. A disabled channel can be tested (to check a " +
    "fixed receiver before re-enabling it); a test changes nothing else, so a 410 does not disable it.",
  tag: "Notifications",
  access: { scope: "notifications:write" },
  params: ChannelParams,
  entity: "Notification channel",
  responses: {
    200: { description: "The delivery: status succeeded or failed, with the receiver's answer", schema: DeliveryBody },
  },
  handle: async ({ params, principal, deps }) => ({
    status: 200,
    body: await sendTestDelivery(deps.db, deps.senders, principal, params.id),
  }),
});
