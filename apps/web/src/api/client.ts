import { createClient, type UpfleetClient, UpfleetError } from "@upfleet/sdk";
import { useSyncExternalStore } from "react";
import { recordBudget } from "./budget.ts";
import { getSession, type Session, setSession, subscribeSession } from "./session.ts";

export type { components } from "@upfleet/sdk";
export { UpfleetError };

/**
 * Every request revalidates (`no-cache`): the browser sends the ETag it holds and the API answers
 * 304 when nothing changed, which costs no rate-limit point, so the live polls (live.ts) cost
 * nothing while nothing moves. Every answer's rate-limit headers feed the polls' pacing (budget.ts).
 */
async function revalidating(request: Request): Promise<Response> {
  const response = await fetch(request, { cache: "no-cache" });
  recordBudget(response.headers, response.status);
  return response;
}

/**
 * A 429 is not waited out behind the user's back (the SDK would wait up to 30 s while the page
 * looked frozen): its error shows at once, and the polls wait for the budget (budget.ts).
 */
const RETRY = { retries: 2, maxDelayMs: 1_000 };

let client: { token: string | undefined; value: UpfleetClient } | undefined;

/** The typed API client (packages/sdk) with the current session's token; one per token. */
export function api(): UpfleetClient {
  const token = getSession()?.token;
  if (!client || client.token !== token) {
    client = { token, value: createClient({ baseUrl: location.origin, token, fetch: revalidating, ...RETRY }) };
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
