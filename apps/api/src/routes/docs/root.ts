import { z } from "zod";
import { defineRoute } from "../../http/route.ts";

const Index = z
  .object({
    name: z.literal("Upfleet API"),
    version: z.string(),
    docs_url: z.url().meta({ description: "The interactive explorer" }),
    openapi_url: z.url().meta({ description: "The OpenAPI 3.1 document, for clients and generators" }),
  })
  .meta({ id: "ApiIndex" });

export const rootRoute = defineRoute({
  method: "get",
  path: "/",
  absolute: true,
  operationId: "service.index",
  summary: "Where to start: links to the explorer and the OpenAPI document",
  description: "What someone who opens the API's address finds, instead of a 404. Links are under PUBLIC_URL.",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "Links", schema: Index } },
  handle: async ({ deps }) => {
    const base = deps.config.PUBLIC_URL.replace(/\/$/, "");
    return {
      status: 200,
      body: {
        name: "Upfleet API",
        version: deps.version,
        docs_url: `${base}/api/docs`,
        openapi_url: `${base}/api/v1/openapi.json`,
      },
    };
  },
});
