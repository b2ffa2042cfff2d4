import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { buildApp } from "../../../build.ts";
import manifest from "../package.json" with { type: "json" };
import { test } from "./support/cli.ts";

// The production build (ADR 0010): one file that runs with nothing but Node, from a folder of its own.
test("the bundle runs outside the repository: --help, --version, and whoami against the API", async ({
  cli,
  owner,
}) => {
  const outdir = await mkdtemp(path.join(tmpdir(), "upfleet-cli-build-"));
  try {
    await buildApp("cli", outdir);
    expect((await readdir(outdir)).sort()).toEqual(["package.json", "upfleet.js"]);
    const upfleet = (...argv: string[]) =>
      promisify(execFile)(path.join(outdir, "upfleet.js"), argv, { cwd: outdir, env: { ...process.env, ...cli.env } });
    expect((await upfleet("--help")).stdout).toContain("Exit codes:");
    expect((await upfleet("--version")).stdout).toBe(`${manifest.version}\n`);
    await cli.login(owner);
    expect(JSON.parse((await upfleet("whoami", "--json")).stdout).user.email).toBe(owner.email);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
});
