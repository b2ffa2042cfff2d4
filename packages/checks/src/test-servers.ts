// Test support: servers on loopback for the executor tests and, as @upfleet/checks/testing, the end-to-end ones.
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import dnsPacket from "dns-packet";

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

/** How the test DNS server answers one question: records, NXDOMAIN, or nothing at all. */
export type DnsReply = dnsPacket.Answer[] | "nxdomain" | "silent";

export interface TestDnsServer {
  port: number;
  /** `127.0.0.1:<port>`, as a monitor's dns_resolver. */
  address: string;
  /** Questions received so far, as "TYPE name". */
  questions: string[];
  close: () => Promise<void>;
}

const NXDOMAIN = 3;

/** A UDP DNS server on loopback answering each question with `reply(question)`. */
export function startDns(reply: (question: dnsPacket.Question) => DnsReply): Promise<TestDnsServer> {
  const socket = dgram.createSocket("udp4");
  const questions: string[] = [];
  socket.on("message", (message, from) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    questions.push(`${question.type} ${question.name}`);
    const answer = reply(question);
    if (answer === "silent") return;
    const response = dnsPacket.encode({
      type: "response",
      id: query.id,
      // The rcode is the low 4 bits of the flags.
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (answer === "nxdomain" ? NXDOMAIN : 0),
      questions: [question],
      answers: answer === "nxdomain" ? [] : answer,
    });
    socket.send(response, from.port, from.address);
  });
  return new Promise((resolve) => {
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      resolve({
        port,
        address: `127.0.0.1:${port}`,
        questions,
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}
