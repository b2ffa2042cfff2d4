import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestRedis, type RunningApp, serviceEndpoints, startApp } from "@upfleet/testing";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../build.ts";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const redis = createTestRedis();

afterAll(() => redis.cleanup());

// The production build (ADR 0010), on the app whose bundle takes well under a second; deploy/verify
// builds and runs every app from its image.
describe("worker production build", () => {
  it("is one file with no database client that starts from a folder of its own and stops on SIGTERM", async () => {
    const outdir = await mkdtemp(path.join(tmpdir(), "upfleet-worker-build-"));
    let app: RunningApp | undefined;
    try {
      await buildApp("worker", outdir);
      expect((await readdir(outdir)).sort()).toEqual(["main.js", "package.json"]);
      const bundle = await readFile(path.join(outdir, "main.js"), "utf8");
      expect(bundle).not.toMatch(/PrismaClient|@prisma\/|pg-protocol/);
      // ASCII only, so V8 holds the source it keeps one byte a character (build.ts escapeNonAscii).
      expect(bundle).not.toMatch(/[\u0080-\uffff]/);

      // Outside the repository nothing but Node's own modules resolves: the bundle must hold the rest.
      app = await startApp({
        cwd,
        entry: path.join(outdir, "main.js"),
        env: { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, HEALTH_PORT: "0", REGION: "eu" },
      });
      const { readyz } = await serviceEndpoints(app.url);
      expect(readyz).toMatchObject({ status: 200, body: { ready: true } });
      expect(await app.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    } finally {
      await app?.stop("SIGKILL");
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
