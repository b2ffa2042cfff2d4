import createFetchClient, { type Middleware } from "openapi-fetch";
import { UpfleetError } from "./errors.ts";
import { paginate } from "./paginate.ts";
import { type RetryOptions, retryingFetch } from "./retry.ts";
import type { operations, paths } from "./schema.d.ts";

export interface ClientOptions extends RetryOptions {
  /** The deployment's origin, e.g. `https://upfleet.example.com`. */
  baseUrl: string;
  /** An API key, or `token`: a session token from `auth.login`. Both are sent as a bearer credential. */
  apiKey?: string;
  token?: string;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: (request: Request) => Promise<Response>;
}

type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;
type Body<Op extends keyof operations> = NonNullable<operations[Op]["requestBody"]>["content"]["application/json"];

/** Every answer other than 2xx becomes an UpfleetError, so each call yields its data or throws. */
const throwOnError: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await UpfleetError.from(response);
  },
};

/** The data of a call that `throwOnError` let through: present for every 2xx with a body. */
async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/**
 * A client for the Upfleet API. `api` is the generated client for every operation; the groups below
 * add what a generator cannot know: lists as async iterables that follow `next_cursor`.
 */
export function createClient(options: ClientOptions) {
  const credential = options.apiKey ?? options.token;
  const api = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    headers: credential ? { Authorization: `Bearer ${credential}` } : {},
    fetch: retryingFetch(options.fetch ?? ((request) => globalThis.fetch(request)), options),
  });
  api.use(throwOnError);

  return {
    api,
    monitors: {
      list: (query: Omit<Query<"monitors.list">, "cursor"> = {}) =>
        paginate((cursor) => data(api.GET("/api/v1/monitors", { params: { query: { ...query, cursor } } }))),
      get: (id: string) => data(api.GET("/api/v1/monitors/{id}", { params: { path: { id } } })),
      create: (body: Body<"monitors.create">) => data(api.POST("/api/v1/monitors", { body })),
      update: (id: string, body: Body<"monitors.update">) =>
        data(api.PATCH("/api/v1/monitors/{id}", { params: { path: { id } }, body })),
      pause: (id: string) => data(api.POST("/api/v1/monitors/{id}/pause", { params: { path: { id } } })),
      resume: (id: string) => data(api.POST("/api/v1/monitors/{id}/resume", { params: { path: { id } } })),
      delete: async (id: string) => {
        await api.DELETE("/api/v1/monitors/{id}", { params: { path: { id } } });
      },
    },
    keys: {
      list: (query: Omit<Query<"keys.list">, "cursor"> = {}) =>
        paginate((cursor) => data(api.GET("/api/v1/keys", { params: { query: { ...query, cursor } } }))),
      create: (body: Body<"keys.create">) => data(api.POST("/api/v1/keys", { body })),
      delete: async (id: string) => {
        await api.DELETE("/api/v1/keys/{id}", { params: { path: { id } } });
      },
    },
    incidents: {
      list: (query: Omit<Query<"incidents.list">, "cursor"> = {}) =>
        paginate((cursor) => data(api.GET("/api/v1/incidents", { params: { query: { ...query, cursor } } }))),
    },
    channels: {
      list: (query: Omit<Query<"channels.list">, "cursor"> = {}) =>
        paginate((cursor) =>
          data(api.GET("/api/v1/notifications/channels", { params: { query: { ...query, cursor } } })),
        ),
    },
    rules: {
      list: (query: Omit<Query<"rules.list">, "cursor"> = {}) =>
        paginate((cursor) => data(api.GET("/api/v1/notifications/rules", { params: { query: { ...query, cursor } } }))),
    },
  };
}

export type UpfleetClient = ReturnType<typeof createClient>;
