import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testCa } from "@upfleet/checks/testing";
import { startApp, waitFor } from "@upfleet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "./redis-server.ts";
import { apiApp, startSandbox, storedChecks } from "./support.ts";

/**
 * Every process over TLS to a Redis of the test's own (issue #14 point 2): a redis-server listening
 * only on a TLS port, with a certificate from a private CA, asking clients for certificates of theirs.
 */
let server: RedisServer;
let files: string;
let tlsEnv: Record<string, string>;
const ca = testCa();

beforeAll(async () => {
  files = await mkdtemp(join(tmpdir(), "upfleet-redis-tls-"));
  const write = async (name: string, pem: string) => {
    await writeFile(join(files, name), pem);
    return join(files, name);
  };
  const serverPair = ca.issue(["localhost", "127.0.0.1"], 30);
  const clientPair = ca.issue(["upfleet-client"], 30);
  const serverCert = await write("server.pem", serverPair.cert);
  const serverKey = await write("server.key", serverPair.key);
  tlsEnv = {
    REDIS_TLS_CA: ca.caFile,
    REDIS_TLS_CERT: await write("client.pem", clientPair.cert),
    REDIS_TLS_KEY: await write("client.key", clientPair.key),
  };
  server = await startRedisServer((port) => [
    "--port",
    "0",
    "--tls-port",
    String(port),
    "--tls-cert-file",
    serverCert,
    "--tls-key-file",
    serverKey,
    "--tls-ca-cert-file",
    ca.caFile,
    "--tls-auth-clients",
    "yes",
  ]);
});

afterAll(async () => {
  await server?.close();
  await rm(files, { recursive: true, force: true });
  ca.dispose();
});

const tlsRedis = () => ({
  url: `rediss://localhost:${server.port}`,
  prefix: `t${randomBytes(5).toString("hex")}`,
  // The server is the test's own and dies with it.
  cleanup: async () => undefined,
});

// Concurrent: each test has a sandbox and a key prefix of its own on the file's server.
describe("Redis over TLS", { timeout: 180_000, concurrent: true }, () => {
  it("carries the whole flow: the alerter dispatches, a worker checks, the alerter stores; the API is ready", async ({
    onTestFinished,
  }) => {
    const s = await startSandbox(tlsRedis());
    onTestFinished(() => s.stop());
    const monitor = await s.seed.httpMonitor(`${s.target.url}/tls`);
    await s.alerter(tlsEnv);
    await s.worker(tlsEnv);
    const launch = apiApp(s.services, 90_000);
    const api = await startApp({ ...launch, env: { ...launch.env, ...tlsEnv } });
    onTestFinished(async () => void (await api.stop("SIGKILL")));

    await waitFor(async () => (await storedChecks(s.db, monitor.id)).length >= 2, {
      timeoutMs: 60_000,
      what: "two checks stored over TLS",
    });
    expect((await storedChecks(s.db, monitor.id))[0]).toMatchObject({ status: "up", httpStatus: 200 });
    const ready = await fetch(`${api.url}/readyz`);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { redis: "ok" } });
  });

  it("keeps a worker without the client certificate, or without the private CA, out", async ({ onTestFinished }) => {
    const s = await startSandbox(tlsRedis());
    onTestFinished(() => s.stop());
    const withoutClientCertificate = { REDIS_TLS_CA: tlsEnv.REDIS_TLS_CA! };
    const withoutCa = { REDIS_TLS_CERT: tlsEnv.REDIS_TLS_CERT!, REDIS_TLS_KEY: tlsEnv.REDIS_TLS_KEY! };
    for (const env of [withoutClientCertificate, withoutCa]) {
      const worker = await s.worker(env);
      const readyz = await fetch(`${worker.url}/readyz`);
      expect(await readyz.json()).toMatchObject({ ready: false, checks: { redis: "unreachable" } });
    }
  });
});
