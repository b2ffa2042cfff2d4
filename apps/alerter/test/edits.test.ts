import type { Db } from "@upfleet/db";
import { waitFor } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { apiApp, it as base } from "./support.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** `call`: the API of a user signed up on an API process of the test's own. */
const it = base.extend<{ call: Call }>({
  call: async ({ services, apps }, use) => {
    const api = await apps.start(apiApp(services));
    const signup = await fetch(`${api.url}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ops@example.com", password: "correct horse battery", organization_name: "Ops" }),
    });
    const signedUp = (await signup.json()) as { token: string };
    expect(signup.status, JSON.stringify(signedUp)).toBe(201);
    const { token } = signedUp;
    await use(async (method, path, body) => {
      const res = await fetch(`${api.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
    });
  },
});

const ticksAfter = async (db: Db, monitorId: string, after: number) =>
  (
    await db.checkResult.findMany({
      where: { monitor: { id: monitorId }, tick: { gt: new Date(after) } },
      orderBy: { tick: "asc" },
    })
  ).map((r) => r.tick.getTime());

describe("edits through the API take effect by the next tick", () => {
  it("patch, pause, resume and delete", { timeout: 180_000 }, async ({ db, target, call, startPipeline }) => {
    await startPipeline();
    const create = async (name: string, path: string) => {
      const created = await call("POST", "/monitors", {
        type: "http",
        name,
        url: `${target.url}${path}`,
        interval_seconds: 10,
        timeout_ms: 2000,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    };
    // `deleted` is deleted while `id` is paused, so one wait of two intervals shows both stopped.
    const id = await create("edited", "/before");
    const deleted = await create("deleted", "/deleted");
    await waitFor(() => (target.hits.get("/before") ?? 0) >= 1 && (target.hits.get("/deleted") ?? 0) >= 1, {
      timeoutMs: 30_000,
      what: "first checks",
    });

    // Patch: every tick after the change checks the new URL.
    const patchedAt = Date.now();
    expect((await call("PATCH", `/monitors/${id}`, { url: `${target.url}/after` })).status).toBe(200);
    await waitFor(() => (target.hits.get("/after") ?? 0) >= 1, { timeoutMs: 25_000, what: "patched URL checked" });
    const beforeHits = target.hits.get("/before") ?? 0;
    await waitFor(async () => (await ticksAfter(db, id, patchedAt)).length >= 2, {
      timeoutMs: 30_000,
      what: "two ticks",
    });
    expect(target.hits.get("/before")).toBe(beforeHits);

    // Pause one and delete the other: no tick after either is dispatched.
    const pausedAt = Date.now();
    expect((await call("POST", `/monitors/${id}/pause`)).body.status).toBe("paused");
    const afterPause = target.hits.get("/after") ?? 0;
    const deletedAt = Date.now();
    expect((await call("DELETE", `/monitors/${deleted}`)).status).toBe(204);
    const afterDelete = target.hits.get("/deleted") ?? 0;
    // Wait out two intervals: each monitor would have been checked twice by now if it were still scheduled.
    await waitFor(() => Date.now() > deletedAt + 21_000, { timeoutMs: 30_000, intervalMs: 500 });
    expect(target.hits.get("/after") ?? 0).toBe(afterPause);
    expect(await ticksAfter(db, id, pausedAt)).toEqual([]);
    expect(target.hits.get("/deleted") ?? 0).toBe(afterDelete);
    expect(await ticksAfter(db, deleted, deletedAt)).toEqual([]);

    // Resume: checks come back at the next tick.
    const resumedAt = Date.now();
    expect((await call("POST", `/monitors/${id}/resume`)).status).toBe(200);
    await waitFor(async () => (await ticksAfter(db, id, resumedAt)).length >= 1, {
      timeoutMs: 25_000,
      what: "resumed",
    });
  });
});
