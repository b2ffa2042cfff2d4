/**
 * Drives Uptime Kuma through its socket.io API, as its web page does: the first admin is set up,
 * logged in, and the monitors are added one by one. Kuma has no other API for adding monitors.
 */
import { io, type Socket } from "socket.io-client";

const ACK_TIMEOUT_MS = 60_000;
const USERNAME = "bench";
// Kuma refuses a setup whose password its strength check calls "too weak".
const PASSWORD = "bench-Upfleet-peer-2026";

interface KumaHttpMonitor {
  name: string;
  url: string;
  intervalS: number;
  timeoutS: number;
}

interface Ack {
  ok: boolean;
  msg?: string;
}

export interface KumaSession {
  add(monitor: KumaHttpMonitor): Promise<void>;
  close(): void;
}

async function ask<T extends Ack>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  const reply = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args)) as T;
  if (!reply.ok) throw new Error(`kuma: ${event} refused: ${reply.msg}`);
  return reply;
}

/** A logged-in session, setting the admin up first on a fresh data directory. */
export async function kumaSession(url: string): Promise<KumaSession> {
  const socket = io(url, { transports: ["websocket"], reconnection: false });
  // Kuma handles a socket's events only after it has sent `info`; earlier ones are lost.
  await new Promise<void>((resolve, reject) => {
    socket.once("info", () => resolve());
    socket.once("connect_error", (error) =>
      reject(new Error(`kuma: socket.io connection to ${url} failed: ${error.message}`)),
    );
  });
  const needSetup = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("needSetup")) as boolean;
  if (needSetup) await ask(socket, "setup", USERNAME, PASSWORD);
  await ask(socket, "login", { username: USERNAME, password: PASSWORD, token: "" });
  return {
    async add(monitor) {
      // Kuma stores what it is given as columns: only fields of its monitor table (and the few it
      // converts first: notificationIDList, accepted_statuscodes and the JSON ones) may be sent.
      await ask(socket, "add", {
        type: "http",
        name: monitor.name,
        url: monitor.url,
        method: "GET",
        interval: monitor.intervalS,
        retryInterval: monitor.intervalS,
        resendInterval: 0,
        maxretries: 0,
        timeout: monitor.timeoutS,
        ignoreTls: false,
        upsideDown: false,
        maxredirects: 10,
        accepted_statuscodes: ["200-299"],
        notificationIDList: {},
        conditions: [],
        kafkaProducerBrokers: [],
        kafkaProducerSaslOptions: { mechanism: "None" },
        rabbitmqNodes: [],
      });
    },
    close: () => socket.close(),
  };
}
