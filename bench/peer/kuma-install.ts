/**
 * Makes a checkout of Uptime Kuma runnable, doing only the steps not done yet: its dependencies
 * without install scripts (they would download prebuilt binaries), its SQLite driver compiled
 * against this Node's own headers, and its frontend built (the server refuses to start without
 * dist/). The same folder is reused by the next run.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { access, readFile } from "node:fs/promises";
import path from "node:path";

const KUMA_VERSION = "2.5.3";

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

async function sh(cwd: string, command: string, args: string[], quiet = false): Promise<boolean> {
  const child = spawn(command, args, { cwd, stdio: quiet ? "ignore" : "inherit" });
  const [code] = (await once(child, "exit")) as [number | null];
  return code === 0;
}

async function step(cwd: string, what: string, command: string, args: string[]): Promise<void> {
  console.log(`kuma: ${what}: ${command} ${args.join(" ")}`);
  if (!(await sh(cwd, command, args))) throw new Error(`kuma: ${what} failed in ${cwd}`);
}

/** Kuma's version in `dir`, after installing and building whatever is missing there. */
export async function prepareKuma(dir: string): Promise<string> {
  const manifest = await readFile(path.join(dir, "package.json"), "utf8").catch(() => undefined);
  const pkg = manifest ? (JSON.parse(manifest) as { name?: string; version?: string }) : {};
  if (pkg.name !== "uptime-kuma") {
    throw new Error(
      `${dir} is not an Uptime Kuma checkout; make one with\n  git clone --depth 1 --branch ${KUMA_VERSION} https://github.com/louislam/uptime-kuma.git ${dir}`,
    );
  }
  const version = pkg.version ?? "unknown";
  if (version !== KUMA_VERSION) console.warn(`kuma: ${dir} is version ${version}, not ${KUMA_VERSION}`);

  if (!(await exists(path.join(dir, "node_modules/.package-lock.json")))) {
    await step(dir, "install", "npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"]);
  }
  const loadsSqlite = () => sh(dir, process.execPath, ["-e", "require('@louislam/sqlite3')"], true);
  if (!(await loadsSqlite())) {
    // The Node that runs this script is the one that will run Kuma: its prefix holds its headers.
    const nodedir = path.dirname(path.dirname(process.execPath));
    await step(dir, "SQLite driver", "npm", [
      "rebuild",
      "@louislam/sqlite3",
      "--build-from-source",
      `--nodedir=${nodedir}`,
    ]);
    if (!(await loadsSqlite())) throw new Error("kuma: @louislam/sqlite3 still does not load after the rebuild");
  }
  if (!(await exists(path.join(dir, "dist/index.html")))) {
    await step(dir, "frontend", "npm", ["run", "build"]);
  }
  return version;
}
