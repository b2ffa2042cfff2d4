import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startApp } from "@upfleet/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { apiApp, it as base, type Services } from "../../alerter/test/support.ts";

const WEB_DIR = fileURLToPath(new URL("..", import.meta.url));
const DIST_INDEX = path.join(WEB_DIR, "dist/index.html");
const SCREENSHOTS = path.join(WEB_DIR, "test/screenshots");
/** Debian's chromium (.ci/run installs it): playwright's own browser download is not reachable here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The newest modification time of any file under `dir`. */
async function newest(dir: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
  }
  return latest;
}

/**
 * The API serves apps/web/dist: built here when missing or older than the sources, under a lock
 * directory so test files starting together build it once.
 */
async function ensureWebBuild(): Promise<void> {
  const lock = path.join(WEB_DIR, "node_modules/.build-lock");
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    const built = await stat(DIST_INDEX).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    const sources = Math.max(
      await newest(path.join(WEB_DIR, "src")),
      (await stat(path.join(WEB_DIR, "index.html"))).mtimeMs,
    );
    if (built > sources) return;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [path.join(WEB_DIR, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"],
        {
          cwd: WEB_DIR,
          // Not the test's environment: with vitest's NODE_ENV=test, Vite bundles React's development build.
          env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" },
          stdio: ["ignore", "inherit", "inherit"],
        },
      );
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
    });
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox"] });
}

/** Writes a full-page screenshot of what `page` shows (not committed; see .gitignore). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The deployment's operator (FLEET_ADMIN_EMAILS): only this user sees the fleet page's data. */
export const OPERATOR_EMAIL = "ops@example.com";

export interface Dashboard {
  /** The API's origin; the dashboard is at `${url}/app`. */
  url: string;
  browser: Browser;
}

/**
 * The alerter tests' fixtures (a database and Redis space, a loopback `target`, `startPipeline`) plus
 * the file's `dashboard`: the web build, an API serving it (allowed to check loopback targets, as an
 * operator opens internal ranges) and a headless chromium.
 */
export const it = base.extend<{ dashboard: Dashboard }>({
  dashboard: [
    async ({ services }: { services: Services }, use: (value: Dashboard) => Promise<void>) => {
      await ensureWebBuild();
      const options = apiApp(services, 90_000);
      const api = await startApp({
        ...options,
        env: {
          ...options.env,
          OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8",
          FLEET_ADMIN_EMAILS: OPERATOR_EMAIL,
        },
      });
      const browser = await launchBrowser();
      try {
        await use({ url: api.url, browser });
      } finally {
        await browser.close();
        await api.stop("SIGKILL");
      }
    },
    { scope: "file" },
  ],
});

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's serious and critical violations on what `page` shows. Injected through the DevTools
 * protocol (page.evaluate), which the page's CSP does not govern, so the test runs the real CSP.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * What the tests' page.evaluate callbacks use of the browser, which this Node program has no types
 * for: `const { document } = globalThis as unknown as InPage;` inside a callback (it runs in the page).
 */
export interface InPage {
  /** Set by the scale test's init script: when the monitors list's first row was in the page. */
  firstRowsAt?: number;
  document: {
    documentElement: { scrollWidth: number };
    querySelector(selector: string): { scrollTop: number; getAttribute(name: string): string | null } | null;
  };
  innerWidth: number;
  navigator: { clipboard: { readText(): Promise<string> } };
  sessionStorage: { setItem(key: string, value: string): void };
  requestAnimationFrame(callback: () => void): number;
  performance: {
    now(): number;
    getEntriesByType(type: string): {
      name: string;
      domContentLoadedEventEnd?: number;
      requestStart?: number;
      responseStart?: number;
      responseEnd?: number;
    }[];
  };
}
