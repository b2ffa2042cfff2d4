import { listDeliveries } from "@upfleet/delivery";
import { defineRoute } from "../../http/route.ts";
import { DeliveryList, DeliveryListQuery } from "./schema.ts";

export const listDeliveriesRoute = defineRoute({
  method: "get",
  path: "/notifications/deliveries",
  operationId: "deliveries.list",
  summary: "List notification delivery attempts, newest first (filter by channel or incident)",
  description:
    "Every attempt of every notification, retries included, and test sends. A filter naming an id " +
    "the organization does not have lists nothing.",
  tag: "Notifications",
  access: { scope: "notifications:read" },
  query: DeliveryListQuery,
  responses: { 200: { description: "Delivery attempts, newest first", schema: DeliveryList } },
  handle: async ({ query, principal, deps }) => {
    const { cursor, limit, ...filters } = query;
    return { status: 200, body: await listDeliveries(deps.db, principal, filters, { cursor, limit }) };
  },
});
