/**
 * The HTTP target of `pnpm bench:fleet`, forked into a process of its own so that its CPU is not
 * counted as the pipeline's: node:http answering 200 "ok" on every path, keep-alive, nothing else.
 * Reports {port} over IPC; answers "count" with the requests served so far; exits on "stop" or when
 * the parent goes away.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let served = 0;
const server = createServer((_req, res) => {
  served++;
  res.writeHead(200, { "content-type": "text/plain", "content-length": "2" });
  res.end("ok");
});
// Longer than the workers' idle-socket timeout (15 s), so the client always closes first and a
// pooled socket is never reset under a request.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});

process.on("message", (message) => {
  if (message === "count") process.send?.({ served });
  if (message === "stop") process.exit(0);
});
process.on("disconnect", () => process.exit(0));
