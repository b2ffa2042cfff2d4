import type { components } from "./schema.d.ts";

type ErrorBody = components["schemas"]["Error"];

/**
 * An answer other than 2xx, with the API's error body: `error` is the stable code to branch on,
 * `details` lists every invalid field of a 400, `request_id` is what the API's logs know it by.
 */
export class UpfleetError extends Error {
  readonly status: number;
  readonly error: ErrorBody["error"] | "unknown";
  readonly details: NonNullable<ErrorBody["details"]>;
  readonly requestId: string | undefined;

  constructor(status: number, body: Partial<ErrorBody> | undefined) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = "UpfleetError";
    this.status = status;
    this.error = body?.error ?? "unknown";
    this.details = body?.details ?? [];
    this.requestId = body?.request_id;
  }

  /** Reads the error body of `response`, which may not be JSON (a proxy's 502 page). */
  static async from(response: Response): Promise<UpfleetError> {
    const body = await response.json().catch(() => undefined);
    return new UpfleetError(response.status, body as Partial<ErrorBody> | undefined);
  }
}
