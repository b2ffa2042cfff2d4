import type { Db } from "@upfleet/db";
import { type AppProcess, createTestRedis, waitFor } from "@upfleet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Services, seedDatabase, startAlerter, startApi, startTarget, startWorker } from "./support.ts";

const redis = createTestRedis();
const apps: AppProcess[] = [];
let seed: Awaited<ReturnType<typeof seedDatabase>>;
let db: Db;
let target: Awaited<ReturnType<typeof startTarget>>;
let apiUrl: string;
let token: string;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${apiUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  const json: any = res.status === 204 ? undefined : await res.json();
  return { status: res.status, body: json };
}

beforeAll(async () => {
  seed = await seedDatabase();
  db = seed.db;
  target = await startTarget();
  const services: Services = { databaseUrl: seed.database.url, redisUrl: redis.url, redisPrefix: redis.prefix };
  const api = await startApi(services, 30_000);
  apps.push(api, await startAlerter(services), await startWorker(services));
  apiUrl = api.url;
  const signup = await fetch(`${apiUrl}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "ops@example.com", password: "correct horse battery", organization_name: "Ops" }),
  });
  token = ((await signup.json()) as { token: string }).token;
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop("SIGKILL")));
  await target.close();
  await db.$disconnect();
  await seed.database.drop();
  await redis.cleanup();
});

const ticksAfter = async (monitorId: string, after: number) =>
  (
    await db.checkResult.findMany({ where: { monitorId, tick: { gt: new Date(after) } }, orderBy: { tick: "asc" } })
  ).map((r) => r.tick.getTime());

describe("edits through the API take effect by the next tick", () => {
  it("patch, pause, resume and delete", { timeout: 180_000 }, async () => {
    const created = await call("POST", "/monitors", {
      type: "http",
      name: "edited",
      url: `${target.url}/before`,
      interval_seconds: 10,
      timeout_ms: 2000,
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await waitFor(() => (target.hits.get("/before") ?? 0) >= 1, { timeoutMs: 30_000, what: "first check" });

    // Patch: every tick after the change checks the new URL.
    const patchedAt = Date.now();
    expect((await call("PATCH", `/monitors/${id}`, { url: `${target.url}/after` })).status).toBe(200);
    await waitFor(() => (target.hits.get("/after") ?? 0) >= 1, { timeoutMs: 25_000, what: "patched URL checked" });
    const beforeHits = target.hits.get("/before") ?? 0;
    await waitFor(async () => (await ticksAfter(id, patchedAt)).length >= 2, { timeoutMs: 30_000, what: "two ticks" });
    expect(target.hits.get("/before")).toBe(beforeHits);

    // Pause: no tick after the pause is dispatched.
    const pausedAt = Date.now();
    expect((await call("POST", `/monitors/${id}/pause`)).body.status).toBe("paused");
    const afterPause = target.hits.get("/after") ?? 0;
    // Wait out two intervals: the monitor would have been checked twice by now if it were still scheduled.
    await waitFor(() => Date.now() > pausedAt + 21_000, { timeoutMs: 30_000, intervalMs: 500 });
    expect(target.hits.get("/after") ?? 0).toBe(afterPause);
    expect(await ticksAfter(id, pausedAt)).toEqual([]);

    // Resume: checks come back at the next tick.
    const resumedAt = Date.now();
    expect((await call("POST", `/monitors/${id}/resume`)).status).toBe(200);
    await waitFor(async () => (await ticksAfter(id, resumedAt)).length >= 1, { timeoutMs: 25_000, what: "resumed" });

    // Delete: no tick after the deletion.
    const deletedAt = Date.now();
    expect((await call("DELETE", `/monitors/${id}`)).status).toBe(204);
    const afterDelete = target.hits.get("/after") ?? 0;
    await waitFor(() => Date.now() > deletedAt + 21_000, { timeoutMs: 30_000, intervalMs: 500 });
    expect(target.hits.get("/after") ?? 0).toBe(afterDelete);
    expect(await ticksAfter(id, deletedAt)).toEqual([]);
  });
});
