// Test support (not exported): servers on loopback for the executor tests.
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";

const fixtures = new URL("../test-fixtures/", import.meta.url);

export interface TestServer {
  port: number;
  origin: string;
  /** Connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections: () => number;
  close: () => Promise<void>;
}

function track(server: net.Server, scheme: string, host: string): Promise<TestServer> {
  let connections = 0;
  server.on("connection", () => connections++);
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      const hostPart = host.includes(":") ? `[${host}]` : host;
      resolve({
        port,
        origin: `${scheme}://${hostPart}:${port}`,
        connections: () => connections,
        close: () =>
          new Promise<void>((done) => {
            (server as http.Server).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

export function startHttp(handler: http.RequestListener, host = "127.0.0.1"): Promise<TestServer> {
  return track(http.createServer(handler), "http", host);
}

/** HTTPS with the committed self-signed certificate for localhost/127.0.0.1/::1. */
export function startHttps(handler: http.RequestListener, host = "127.0.0.1"): Promise<TestServer> {
  const server = https.createServer(
    {
      key: readFileSync(new URL("localhost-key.pem", fixtures)),
      cert: readFileSync(new URL("localhost-cert.pem", fixtures)),
    },
    handler,
  );
  return track(server, "https", host);
}

/** A raw TCP server, for protocol misbehaviour (garbage, resets, silence). */
export function startTcp(onSocket: (socket: net.Socket) => void, host = "127.0.0.1"): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onSocket(socket);
  });
  return track(server, "tcp", host).then((s) => ({
    ...s,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return s.close();
    },
  }));
}

/** A port nothing listens on: bound by us, then released. */
export async function closedPort(): Promise<number> {
  const server = await startTcp(() => {});
  await server.close();
  return server.port;
}
