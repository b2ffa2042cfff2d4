import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import type { OutboundGuard } from "./guard.ts";

type ConnectCallback = (err: Error | null, stream: Duplex) => void;
type Connect<O> = (options: O, callback?: ConnectCallback) => Duplex | null | undefined;

// Node skips `lookup` when the host is already an IP, so literals are checked here; names get the guard's
// lookup forced in (a request-level `lookup` must not be able to replace it). Every new socket of the agent,
// redirect hops included, passes through this one place.
function guardedConnect<O extends http.ClientRequestArgs>(
  guard: OutboundGuard,
  options: O,
  callback: ConnectCallback | undefined,
  connect: Connect<O>,
): Duplex | null | undefined {
  const host = (options.host ?? options.hostname ?? "").replace(/^\[(.*)\]$/, "$1");
  if (isIP(host)) {
    try {
      guard.assertLiteralAllowed(host);
    } catch (error) {
      // http.Agent#createSocket turns a callback error with no socket into an 'error' on the request.
      if (!callback) throw error;
      callback(error as Error, undefined as unknown as Duplex);
      return undefined;
    }
  }
  return connect({ ...options, lookup: guard.lookup }, callback);
}

/** An http.Agent whose every connection is vetted by the SSRF guard. */
export class GuardedHttpAgent extends http.Agent {
  constructor(
    private readonly guard: OutboundGuard,
    options?: http.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectCallback) {
    return guardedConnect(this.guard, options, callback, (o, cb) => super.createConnection(o, cb));
  }
}

/** An https.Agent whose every connection is vetted by the SSRF guard. */
export class GuardedHttpsAgent extends https.Agent {
  constructor(
    private readonly guard: OutboundGuard,
    options?: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectCallback) {
    return guardedConnect(this.guard, options, callback, (o, cb) => super.createConnection(o, cb));
  }
}
