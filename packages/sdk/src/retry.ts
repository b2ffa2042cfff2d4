/** How long a refused request may wait and how often it is sent again before its answer is returned as is. */
export interface RetryOptions {
  /** Attempts after the first (default 3). */
  retries?: number;
  /** The longest wait for one attempt (default 30 s): a Retry-After beyond it is not waited for. */
  maxDelayMs?: number;
}

const RETRIED = new Set([429, 503]);

/** Retry-After in seconds or as an HTTP date; without one, 0.5 s doubling per attempt. */
function delayFor(response: Response, attempt: number): number {
  const header = response.headers.get("retry-after");
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return 500 * 2 ** attempt;
}

/**
 * A fetch that sends a request again when the API answers 429 or 503 (it refused the request before
 * doing anything), waiting as long as Retry-After says. Bounded both in attempts and in each wait.
 */
export function retryingFetch(
  fetch: (request: Request) => Promise<Response>,
  { retries = 3, maxDelayMs = 30_000 }: RetryOptions = {},
) {
  return async (request: Request): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(request.clone());
      if (!RETRIED.has(response.status) || attempt >= retries) return response;
      const delay = delayFor(response, attempt);
      if (delay > maxDelayMs) return response;
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
}
