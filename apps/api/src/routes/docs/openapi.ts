import { defineRoute } from "../../http/route.ts";

export const openApiRoute = defineRoute({
  method: "get",
  path: "/openapi.json",
  summary: "This API's OpenAPI 3.1 document",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "OpenAPI 3.1" } },
  handle: async ({ req }) => ({ status: 200, body: req.app.locals.openApiDocument }),
});
