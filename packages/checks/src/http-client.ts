import http, { type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";
import { type ResponseBody, readBody } from "./http-body.ts";
import { HopTimings } from "./http-timings.ts";
import type { CheckTimings } from "./result.ts";

export const MAX_REDIRECTS = 10;
/** Statuses whose Location is followed: got's list, which the checks used before ADR 0008's update. */
const REDIRECT_STATUSES = new Set([300, 301, 302, 303, 304, 307, 308]);
/** Request headers meant for the host the monitor names, dropped when a redirect leads to another one. */
const ORIGIN_HEADERS = ["authorization", "cookie", "host"] as const;

class TooManyRedirectsError extends Error {
  readonly code = "ERR_TOO_MANY_REDIRECTS";
  constructor() {
    super(`Redirected ${MAX_REDIRECTS} times. Aborting.`);
    this.name = "TooManyRedirectsError";
  }
}

class UnsupportedProtocolError extends Error {
  readonly code = "ERR_UNSUPPORTED_PROTOCOL";
  constructor(protocol: string) {
    super(`Unsupported protocol: ${protocol}`);
    this.name = "UnsupportedProtocolError";
  }
}

interface HttpAgents {
  http: http.Agent;
  https: https.Agent;
}

export interface HttpRequestInit {
  method: string;
  /** Header names in lower case (see requestHeaders). */
  headers: Record<string, string>;
  /** Sent with a Content-Length; undefined sends no body at all. */
  body: string | undefined;
  followRedirects: boolean;
  /** The https one decides whether certificates are verified (its options override a request's). */
  agents: HttpAgents;
  /** Stops the exchange (its request and the response body) wherever it is. */
  signal: AbortSignal;
}

/** The monitor's headers over ours, names in lower case so that a monitor's "User-Agent" replaces ours. */
export function requestHeaders(userAgent: string, custom: Record<string, string>): Record<string, string> {
  // The body reader decompresses these (http-body.ts).
  const headers: Record<string, string> = { "user-agent": userAgent, "accept-encoding": "gzip, deflate, br" };
  for (const name in custom) headers[name.toLowerCase()] = custom[name]!;
  return headers;
}

/** A check's body for node's request: GET and HEAD send none unless the monitor gives one (HEAD never). */
export function requestBody(spec: { method: string; body: string | null }): string | undefined {
  if (spec.method === "HEAD") return undefined;
  if (spec.body === null) return spec.method === "GET" ? undefined : "";
  return spec.body;
}

/**
 * One check's HTTP exchange on node:http: the request, the redirects it follows (each hop a new request
 * through the guarded agents, so every address is vetted), the final response and its body. What got gave
 * the checks is kept (the redirect rules below, decompression, the last hop's timing phases, its error
 * codes for redirects); why got left, ADR 0008. There is no timeout here: the runner's deadline aborts
 * `signal`, which bounds the whole exchange, redirects and body included.
 */
export class HttpExchange {
  /** The URL the monitor asked for. */
  readonly requestUrl: URL;
  /** The URL of the last hop. */
  url: URL;
  redirects = 0;
  /** The address the final response came from. */
  ip: string | null = null;
  readonly #init: HttpRequestInit;
  #method: string;
  #headers: Record<string, string>;
  #body: string | undefined;
  #request: ClientRequest | undefined;
  #response: IncomingMessage | undefined;
  #timings: HopTimings | undefined;
  readonly #onAbort = () => this.destroy(this.#init.signal.reason);

  constructor(url: string, init: HttpRequestInit) {
    this.requestUrl = new URL(url);
    this.url = this.requestUrl;
    this.#init = init;
    this.#method = init.method;
    this.#headers = init.headers;
    this.#body = init.body;
    init.signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Whether the last hop ran on a pooled keep-alive socket (no dns, connect or tls of its own). */
  get reusedConnection(): boolean {
    return this.#request?.reusedSocket ?? false;
  }

  /** The final response (redirects followed when asked); rejects with the error that stopped the exchange. */
  async response(): Promise<IncomingMessage> {
    for (;;) {
      this.#init.signal.throwIfAborted();
      const response = await this.#send();
      const location = response.headers.location;
      if (!this.#init.followRedirects || !location || !REDIRECT_STATUSES.has(response.statusCode!)) {
        this.#response = response;
        this.ip = response.socket?.remoteAddress ?? null;
        return response;
      }
      // Drained, not destroyed, so its socket goes back to the pool for the next hop.
      response.resume();
      if (this.redirects >= MAX_REDIRECTS) throw new TooManyRedirectsError();
      this.#redirect(response.statusCode!, location);
    }
  }

  /** The final response's body (see readBody); the exchange is over once it is read. */
  async body(keepText: boolean): Promise<ResponseBody> {
    try {
      return await readBody(this.#response!, this.#method, keepText);
    } finally {
      this.#init.signal.removeEventListener("abort", this.#onAbort);
    }
  }

  /** The last hop's phases; `total` is the caller's, the whole check. */
  timings(total: number): CheckTimings {
    return this.#timings?.phases(total) ?? { total };
  }

  /** Stops the exchange; the socket in use is closed, not pooled. */
  destroy(error?: Error): void {
    this.#init.signal.removeEventListener("abort", this.#onAbort);
    this.#request?.destroy(error);
    this.#response?.destroy(error);
  }

  #send(): Promise<IncomingMessage> {
    const { url } = this;
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") return Promise.reject(new UnsupportedProtocolError(url.protocol));
    const headers =
      this.#body === undefined || "content-length" in this.#headers || "transfer-encoding" in this.#headers
        ? this.#headers
        : { ...this.#headers, "content-length": String(Buffer.byteLength(this.#body)) };
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = (secure ? https : http).request(url, {
        method: this.#method,
        headers,
        agent: secure ? this.#init.agents.https : this.#init.agents.http,
      });
      this.#request = request;
      this.#timings = new HopTimings(request);
      // Stays attached: a late error (after the check settled) must not become an uncaught exception.
      request.on("error", reject);
      request.once("response", resolve);
      request.end(this.#body);
    });
  }

  /**
   * The next hop, as got followed it: 303 turns a method other than GET and HEAD into a body-less GET,
   * 301 and 302 keep the method and body; credentials, cookies and Host go only to the same host and port.
   */
  #redirect(status: number, location: string): void {
    // Location may carry raw UTF-8, which node hands over as latin1.
    const next = new URL(Buffer.from(location, "latin1").toString(), this.url);
    if (status === 303 && this.#method !== "GET" && this.#method !== "HEAD") {
      this.#method = "GET";
      this.#body = undefined;
      const { "content-length": _, ...rest } = this.#headers;
      this.#headers = rest;
    }
    if (next.hostname !== this.url.hostname || next.port !== this.url.port) {
      const rest = { ...this.#headers };
      for (const name of ORIGIN_HEADERS) delete rest[name];
      this.#headers = rest;
    } else {
      next.username = this.url.username;
      next.password = this.url.password;
    }
    this.redirects++;
    this.url = next;
  }
}
