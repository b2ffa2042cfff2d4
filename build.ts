/**
 * The production build of one app (ADR 0010): esbuild bundles its entry points, workspace packages
 * and npm dependencies into dist/*.js, so an image ships `node` and dist/ only. The few packages a
 * bundle cannot hold (a native addon, files read from the package's folder at run time) stay
 * external and are copied with their dependencies into dist/node_modules.
 *
 * Run in an app's folder (its `pnpm build`): `tsx ../../build.ts` writes the app's dist/.
 */
import { cp, readFile, realpath, rm, stat, symlink, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import path from "node:path";
import { build, type Metafile, stop } from "esbuild";

const ROOT = import.meta.dirname;

/** Packages imported at run time from dist/node_modules instead of being bundled, and why. */
const EXTERNAL = [
  // A native addon: its .node binary comes from the platform package it depends on.
  "@node-rs/argon2",
  // The API serves its files from the package's folder.
  "swagger-ui-dist",
  // Its .wasm is read from beside its JavaScript half (packages/db schema-engine.ts).
  "@prisma/schema-engine-wasm",
];

interface App {
  /** dist/<name>.js ← the entry, relative to the repository's root. */
  entries: Record<string, string>;
  /** Folders copied to dist/<target>, relative to the repository's root. */
  assets?: Record<string, string>;
  /** Packages the app finds by path rather than by import, copied to dist/node_modules too. */
  resolved?: string[];
}

const APPS: Record<string, App> = {
  api: {
    // The migration command ships with the API's build; the migrate image takes only its files.
    entries: { main: "apps/api/src/main.ts", migrate: "packages/db/src/cli/migrate.ts" },
    // The dashboard's build, served under /app (apps/api/src/http/web.ts); turbo builds it first.
    assets: { prisma: "prisma", web: "apps/web/dist" },
    resolved: ["swagger-ui-dist"],
  },
  alerter: { entries: { main: "apps/alerter/src/main.ts" } },
  worker: { entries: { main: "apps/worker/src/main.ts" } },
  cli: { entries: { upfleet: "apps/cli/src/main.ts" } },
};

// Bundled CommonJS modules call require() for Node's built-ins; ESM output has no require of its own.
const BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export interface BuildOptions {
  /** Source maps beside the bundles, for `node --enable-source-maps`: the test suite's builds have them. */
  sourcemap?: boolean;
  /**
   * Assets linked rather than copied: the test suite's API build then serves apps/web/dist as the
   * browser tests build it, later in the run.
   */
  linkAssets?: boolean;
}

/** Bundles app `name` into `outdir`, replacing what was there. */
export async function buildApp(name: string, outdir: string, options: BuildOptions = {}): Promise<void> {
  const app = APPS[name];
  if (!app) throw new Error(`no build for ${name}: one of ${Object.keys(APPS).join(", ")}`);
  await rm(outdir, { recursive: true, force: true });

  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.entries(app.entries).map(([out, entry]) => ({ out, in: entry })),
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Error classes are told apart by name in places (logs, AppError codes); keep them readable.
    keepNames: true,
    external: EXTERNAL,
    banner: { js: BANNER },
    metafile: true,
    logLevel: "warning",
    sourcemap: options.sourcemap ?? false,
  });

  await Promise.all(
    Object.keys(result.metafile.outputs)
      .filter((file) => file.endsWith(".js"))
      .map((file) => escapeNonAscii(path.join(ROOT, file))),
  );
  // The bundles are ES modules wherever dist/ is copied to, without the app's package.json above it.
  await writeFile(path.join(outdir, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  for (const [target, source] of Object.entries(app.assets ?? {})) {
    if (options.linkAssets) await symlink(path.join(ROOT, source), path.join(outdir, target), "dir");
    else await cp(path.join(ROOT, source), path.join(outdir, target), { recursive: true });
  }
  const appDir = path.join(ROOT, "apps", name);
  const resolved = (app.resolved ?? []).map((dependency) => ({ name: dependency, from: appDir }));
  await copyPackages([...externalImports(result.metafile), ...resolved], path.join(outdir, "node_modules"));
}

/**
 * esbuild escapes non-ASCII characters in code but keeps some comments as they are (doc comments in
 * classes), and one character past U+00FF makes V8 hold the whole bundle's source, which it keeps for
 * as long as the process lives, as a two-byte string: twice its size on the heap (BENCHMARKS.md, issue
 * #15). Escaped, they mean the same in a string, a regular expression or an identifier, and nothing in a comment.
 */
async function escapeNonAscii(file: string): Promise<void> {
  const code = await readFile(file, "utf8");
  const escaped = code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (escaped !== code) await writeFile(file, escaped);
}

/**
 * Bundles several apps at once, each into `outdir(name)`, then stops esbuild's service: it otherwise
 * stays resident for as long as the calling process lives (~500 MB after these builds, seen beside
 * `pnpm start`'s runner, the test suite's and the benches').
 */
export async function buildApps(
  names: readonly string[],
  outdir: (name: string) => string,
  options: BuildOptions = {},
): Promise<void> {
  try {
    await Promise.all(names.map((name) => buildApp(name, outdir(name), options)));
  } finally {
    await stop();
  }
}

type Wanted = { name: string; from: string };

/** The packages the bundles import at run time, each with the folder its import is resolved from. */
function externalImports(metafile: Metafile): Wanted[] {
  return Object.entries(metafile.inputs).flatMap(([file, input]) =>
    input.imports
      .filter((imported) => imported.external && !isBuiltin(imported.path))
      .map((imported) => ({ name: packageName(imported.path), from: path.dirname(path.join(ROOT, file)) })),
  );
}

/** Copies each package, and what it depends on, flat into `target`. */
async function copyPackages(queue: Wanted[], target: string): Promise<void> {
  const copied = new Set<string>();
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (copied.has(next.name)) continue;
    const dir = await findPackage(next.name, next.from);
    if (!dir) continue; // An optional dependency for another platform.
    copied.add(next.name);
    await cp(dir, path.join(target, next.name), { recursive: true, dereference: true });
    const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    for (const field of ["dependencies", "optionalDependencies"]) {
      for (const dependency of Object.keys((manifest[field] as Record<string, string> | undefined) ?? {})) {
        queue.push({ name: dependency, from: dir });
      }
    }
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/** Node's lookup: `name` in node_modules of `from` or of a folder above it; its real path. */
async function findPackage(name: string, from: string): Promise<string | null> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (await stat(path.join(candidate, "package.json")).catch(() => null)) return realpath(candidate);
    if (dir === path.dirname(dir)) return null;
  }
}

if (process.argv[1] === import.meta.filename) {
  await buildApp(path.basename(process.cwd()), path.join(process.cwd(), "dist"));
}
