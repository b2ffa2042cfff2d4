import { z } from "zod";
import { defineRoute } from "../../http/route.ts";

export const openApiRoute = defineRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "service.openapi",
  summary: "This API's OpenAPI 3.1 document",
  description:
    "Generated from the schemas that validate requests, so it cannot drift from what the API accepts. Feed it to " +
    "openapi-typescript, openapi-generator or any OpenAPI 3.1 tool.",
  tag: "Service",
  access: "public",
  responses: {
    200: { description: "OpenAPI 3.1", schema: z.record(z.string(), z.unknown()).meta({ id: "OpenApiDocument" }) },
  },
  handle: async ({ req }) => ({ status: 200, body: req.app.locals.openApiDocument }),
});
