// Test support: servers on loopback for the executor tests and, as @upfleet/checks/testing, the end-to-end ones.
import { execFileSync } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
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
  const server = https.createServer(selfSignedLocalhost(), handler);
  return track(server, "https", host);
}

/** The committed self-signed certificate for localhost, 127.0.0.1 and ::1 (trusted by nobody). */
export function selfSignedLocalhost(): KeyPair {
  return {
    key: readFileSync(new URL("localhost-key.pem", fixtures), "utf8"),
    cert: readFileSync(new URL("localhost-cert.pem", fixtures), "utf8"),
  };
}

export interface KeyPair {
  key: string;
  cert: string;
}

/** A TLS server that completes handshakes with `pair` and closes each connection. */
export function startTls(pair: KeyPair, host = "127.0.0.1"): Promise<TestServer> {
  const server = tls.createServer(pair, (socket) => socket.end());
  server.on("tlsClientError", () => {});
  return track(server, "tls", host);
}

/**
 * A test CA and certificates it issues, made with the openssl CLI (Node cannot issue X.509 itself):
 * `issue(names, days)` signs a certificate for those DNS names and IPs valid `days` from now (a
 * negative number makes it already expired).
 */
export function testCa(): {
  ca: string;
  /** The CA's PEM file, e.g. for NODE_EXTRA_CA_CERTS of a worker process. */
  caFile: string;
  issue(names: string[], days: number): KeyPair;
  dispose(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), "upfleet-ca-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...ec,
    "-days",
    "3650",
    "-subj",
    "/CN=Upfleet Test CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  let serial = 0;
  return {
    ca: readFileSync(join(dir, "ca.pem"), "utf8"),
    caFile: join(dir, "ca.pem"),
    issue(names, days) {
      const n = ++serial;
      const san = names.map((name) => (net.isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(",");
      writeFileSync(join(dir, `${n}.ext`), `subjectAltName=${san}\n`);
      openssl("req", "-new", ...ec, "-subj", `/CN=${names[0]}`, "-keyout", `${n}.key`, "-out", `${n}.csr`);
      openssl(
        "x509",
        "-req",
        "-in",
        `${n}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-set_serial",
        String(n),
        "-days",
        String(days),
        "-extfile",
        `${n}.ext`,
        "-out",
        `${n}.pem`,
      );
      return { key: readFileSync(join(dir, `${n}.key`), "utf8"), cert: readFileSync(join(dir, `${n}.pem`), "utf8") };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
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
