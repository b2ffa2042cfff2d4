import pg from "pg";

/** How long after a failed or dropped connection the next one is tried. */
const RETRY_MS = 1_000;

export interface ListenHandlers {
  /** A notification on the channel, with its payload. */
  notified(payload: string): void;
  /**
   * The connection listens (again): whatever was sent while it did not is lost, so look for work now.
   * Called after the first connection too.
   */
  listening(): void;
  /** The connection failed or dropped; another is tried a second later. */
  failed(error: unknown): void;
}

export interface Listening {
  close(): Promise<void>;
}

/**
 * LISTENs on `channel` over a connection of its own (a pooled one would be handed to other work and
 * lose the LISTEN), made again a second after any failure, for as long as it is not closed. PostgreSQL
 * drops notifications nobody listens for, so `listening` tells the caller when to catch up.
 */
export function listen(connectionString: string, channel: string, handlers: ListenHandlers): Listening {
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  const drop = (dropped: pg.Client, error: unknown) => {
    if (dropped !== client || closed) return;
    client = undefined;
    dropped.removeAllListeners();
    dropped.on("error", () => undefined);
    void dropped.end().catch(() => undefined);
    handlers.failed(error);
    retry = setTimeout(connect, RETRY_MS);
  };

  function connect(): void {
    const next = new pg.Client({ connectionString, keepAlive: true });
    client = next;
    next.on("notification", (message) => handlers.notified(message.payload ?? ""));
    next.on("error", (error) => drop(next, error));
    next.on("end", () => drop(next, new Error("the LISTEN connection ended")));
    next
      .connect()
      .then(() => next.query(`LISTEN ${next.escapeIdentifier(channel)}`))
      .then(() => {
        if (client === next) handlers.listening();
      })
      .catch((error: unknown) => drop(next, error));
  }

  connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const last = client;
      client = undefined;
      last?.removeAllListeners();
      last?.on("error", () => undefined);
      await last?.end().catch(() => undefined);
    },
  };
}
