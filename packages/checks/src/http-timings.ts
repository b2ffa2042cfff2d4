import type { ClientRequest } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import type { CheckTimings } from "./result.ts";

/**
 * One request's phases, as got's timer measured them: dns (socket assigned → address looked up; 0 for an
 * address literal), connect (→ TCP connected), tls (→ handshake done) and firstByte (request sent →
 * response headers). A pooled keep-alive socket had no dns, connect or tls for this request: only
 * firstByte is measured, so a reused request adds two listeners, not six.
 */
export class HopTimings {
  #socket: number | undefined;
  #lookup: number | undefined;
  #connect: number | undefined;
  #secure: number | undefined;
  #sent: number | undefined;
  #response: number | undefined;

  constructor(request: ClientRequest) {
    // The agent hands a free socket over inside request(): reusedSocket is known here.
    if (!request.reusedSocket) request.once("socket", (socket) => this.#watch(socket));
    request.once("finish", () => {
      this.#sent = performance.now();
    });
    request.once("response", () => {
      this.#response = performance.now();
    });
  }

  /** The phases measured so far; `total` is the caller's (the whole check, redirects included). */
  phases(total: number): CheckTimings {
    const timings: CheckTimings = { total };
    if (this.#socket !== undefined) {
      // No lookup before the connect: the host was an address.
      const looked = this.#lookup ?? (this.#connect === undefined ? undefined : this.#socket);
      if (looked !== undefined) timings.dns = Math.round(looked - this.#socket);
      if (looked !== undefined && this.#connect !== undefined) timings.connect = Math.round(this.#connect - looked);
      if (this.#connect !== undefined && this.#secure !== undefined)
        timings.tls = Math.round(this.#secure - this.#connect);
    }
    if (this.#sent !== undefined && this.#response !== undefined) {
      timings.firstByte = Math.round(this.#response - this.#sent);
    }
    return timings;
  }

  #watch(socket: Socket): void {
    this.#socket = performance.now();
    // Once per new connection; the listeners that cannot fire any more are removed, since the socket
    // outlives this request in the pool.
    const onLookup = () => {
      this.#lookup = performance.now();
    };
    socket.once("lookup", onLookup);
    socket.once("connect", () => {
      this.#connect = performance.now();
      socket.off("lookup", onLookup);
    });
    if ("encrypted" in socket) {
      socket.once("secureConnect", () => {
        this.#secure = performance.now();
      });
    }
  }
}
