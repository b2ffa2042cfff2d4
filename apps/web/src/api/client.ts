import { createClient, type UpfleetClient, UpfleetError } from "@upfleet/sdk";
import { useSyncExternalStore } from "react";
import { getSession, type Session, setSession, subscribeSession } from "./session.ts";

export type { components } from "@upfleet/sdk";
export { UpfleetError };

/**
 * Every request revalidates (`no-cache`): the browser sends the ETag it holds and the API answers
 * 304 when nothing changed, so the live polls (live.ts) cost little when nothing moved.
 */
const revalidating = (request: Request) => fetch(request, { cache: "no-cache" });

let client: { token: string | undefined; value: UpfleetClient } | undefined;

/** The typed API client (packages/sdk) with the current session's token; one per token. */
export function api(): UpfleetClient {
  const token = getSession()?.token;
  if (!client || client.token !== token) {
    client = { token, value: createClient({ baseUrl: location.origin, token, fetch: revalidating, retries: 2 }) };
  }
  return client.value;
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession);
}

/** A 401 on any call means the session ended (expired, revoked, signed out elsewhere). */
export function endSessionOn(error: unknown): void {
  if (error instanceof UpfleetError && error.status === 401) setSession(null);
}
