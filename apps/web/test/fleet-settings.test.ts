import { hostname } from "node:os";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect } from "vitest";
import { accessibilityProblems, type Dashboard, it, OPERATOR_EMAIL, screenshot } from "./support.ts";

// The operators' and administrators' pages in Debian's chromium against the real API: the fleet
// (with the real alerter and a worker of the local region, started while the page is open) and the
// settings (API keys, users and roles); sign-out from them. Each page is checked with axe-core and
// photographed.

/** The first test builds the dashboard when stale, starts the API, a browser, then the alerter and a worker. */
const FIRST = { timeout: 240_000 };
const PAGE_TEST = { timeout: 120_000 };
const PASSWORD = "correct horse battery staple";
const COLLEAGUE = "lin@example.com";

async function newPage(dashboard: Dashboard): Promise<{ context: BrowserContext; page: Page }> {
  const context = await dashboard.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: dashboard.url });
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, dashboard: Dashboard, email: string, to = "/monitors"): Promise<void> {
  await page.goto(`${dashboard.url}/app${to}`);
  await page.waitForURL("**/app/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Where it was going, or already past it: /settings redirects to /settings/keys at once, which a loaded
  // test process saw before it looked, and `**/app/settings` then never matched (a 30 s timeout).
  await page.waitForURL((url) => url.pathname.startsWith(`/app${to}`));
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityProblems(page)).toEqual([]);
}

/** The signed-in tab's session token, where the dashboard keeps it. */
async function tokenOf(page: Page): Promise<string> {
  const stored = await page.evaluate<string | null>("sessionStorage.getItem('upfleet.session')");
  return (JSON.parse(stored!) as { token: string }).token;
}

describe("operators and administrators", () => {
  it(
    "the fleet page shows a missing region, then its worker and lag live once it starts; sign-out from it",
    FIRST,
    async ({ dashboard, target, startPipeline }) => {
      const { context, page } = await newPage(dashboard);
      await page.goto(`${dashboard.url}/app/sign-up`);
      await page.getByLabel("Organization").fill("Fleet ops");
      await page.getByLabel("Email").fill(OPERATOR_EMAIL);
      await page.getByLabel(/^Password/).fill(PASSWORD);
      await page.getByRole("button", { name: "Sign up" }).click();
      await page.waitForURL("**/app/monitors");

      // Nothing runs checks yet: the local region is missing workers.
      await page.getByRole("link", { name: "Fleet", exact: true }).click();
      await page.waitForURL("**/app/fleet");
      const regions = page.getByRole("table", { name: "Regions" });
      await page.getByRole("status").getByText("Regions missing workers: local").waitFor();
      await regions.getByRole("row", { name: /local down no workers 0/ }).waitFor();
      await page.getByText("No live workers").waitFor();
      await expectAccessible(page);
      await screenshot(page, "fleet-missing-worker");

      // A monitor to check, then the alerter and a worker: the open page shows them without a reload.
      const res = await fetch(`${dashboard.url}/api/v1/monitors`, {
        method: "POST",
        headers: { authorization: `Bearer ${await tokenOf(page)}`, "content-type": "application/json" },
        body: JSON.stringify({ type: "http", name: "Shop", url: `${target.url}/health`, interval_seconds: 10 }),
      });
      expect(res.status, await res.text()).toBe(201);
      await startPipeline();
      const workers = page.getByRole("table", { name: "Workers" });
      await workers.getByRole("cell", { name: hostname() }).waitFor({ timeout: 30_000 });
      // One worker, and it takes ping checks (iputils ping works on this machine).
      await regions.getByRole("row", { name: /^local up 1 1 / }).waitFor();
      await workers.getByRole("row", { name: new RegExp(`^local ${hostname()} \\S+ \\d+ / \\d+ yes `) }).waitFor();
      await page.getByText("Regions missing workers").waitFor({ state: "detached" });
      // The worker's first checks give the region a schedule lag (p50 and p99 cells stop saying "—"); a
      // tick due before the worker started runs late, so seconds are possible.
      await regions.getByRole("row", { name: /^local up 1 .* [\d.]+ m?s [\d.]+ m?s$/ }).waitFor({ timeout: 45_000 });
      await workers.getByRole("cell", { name: /^[\d.]+ m?s \/ [\d.]+ m?s$/ }).waitFor({ timeout: 15_000 });
      await expectAccessible(page);
      await screenshot(page, "fleet");

      // Its own URL in the history; then sign out from here, after which back does not open it.
      await page.goBack();
      await page.waitForURL("**/app/monitors");
      await page.goForward();
      await page.waitForURL("**/app/fleet");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL("**/app/sign-in");
      await page.goBack();
      await page.waitForURL("**/app/sign-in");
      await context.close();
    },
  );

  it("creates an API key shown once, which works until it is revoked", PAGE_TEST, async ({ dashboard }) => {
    const { context, page } = await newPage(dashboard);
    await signIn(page, dashboard, OPERATOR_EMAIL, "/settings");
    await page.waitForURL("**/app/settings/keys");
    await page.getByText("No API keys yet.").waitFor();
    const form = page.getByRole("form", { name: "Create a key" });
    await form.getByRole("button", { name: "Create key" }).click();
    // The API's error lands on the name field.
    await form.locator('input[name="name"][aria-invalid="true"]').waitFor();
    await form.getByLabel("Name").fill("deploy script");
    await form.getByLabel("monitors:read").check();
    await form.getByLabel("Expires in").selectOption("30");
    await form.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByRole("status").filter({ hasText: "it is not shown again" });
    await shown.waitFor();
    const raw = (await shown.locator("code").textContent())!;
    expect(raw).toMatch(/^upf_/);
    await shown.getByRole("button", { name: "Copy key" }).click();
    expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(raw);
    const keys = page.getByRole("table", { name: "API keys" });
    await keys.getByRole("row", { name: /deploy script .* monitors:read/ }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "settings-keys");

    const asKey = () => fetch(`${dashboard.url}/api/v1/monitors`, { headers: { "x-api-key": raw } });
    expect((await asKey()).status).toBe(200);
    await shown.getByRole("button", { name: "Done" }).click();
    await page.getByText("it is not shown again").waitFor({ state: "detached" });
    page.once("dialog", (dialog) => void dialog.accept());
    await keys.getByRole("button", { name: "Revoke deploy script" }).click();
    await page.getByText("No API keys yet.").waitFor();
    expect((await asKey()).status).toBe(401);
    await context.close();
  });

  it("adds a user with a role, who cannot see the fleet, and removes them", PAGE_TEST, async ({ dashboard }) => {
    const { context, page } = await newPage(dashboard);
    await signIn(page, dashboard, OPERATOR_EMAIL, "/settings/users");
    const users = page.getByRole("table", { name: "Users" });
    await users
      .getByRole("row", { name: `${OPERATOR_EMAIL} (you) owner` })
      .first()
      .waitFor();
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("Email").fill(COLLEAGUE);
    await form.getByLabel("Password").fill("short");
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Add user" }).click();
    await form.locator('input[name="password"][aria-invalid="true"]').waitFor();
    await form.getByText("must be at least 10 characters").waitFor();
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Add user" }).click();
    await users.getByRole("row", { name: new RegExp(`${COLLEAGUE} viewer`) }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "settings-users");

    // The colleague signs in: the fleet is not theirs to see, and the page says why.
    const other = await newPage(dashboard);
    await signIn(other.page, dashboard, COLLEAGUE, "/fleet");
    await other.page.getByText("The fleet is for this deployment's operators").waitFor();
    await expectAccessible(other.page);

    // Removed, their session ends: their next request is refused and the dashboard asks to sign in.
    page.once("dialog", (dialog) => void dialog.accept());
    await users.getByRole("button", { name: `Remove ${COLLEAGUE}` }).click();
    await users.getByText(COLLEAGUE).waitFor({ state: "detached" });
    // Its next request is refused: the click's, or the page's own live poll's if that comes first (it
    // then leaves the page, link and all, for the sign-in page before the click can land).
    await other.page
      .getByRole("link", { name: "Monitors", exact: true })
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    await other.page.waitForURL("**/app/sign-in");
    await other.context.close();

    // A phone's width and the dark theme, without sideways scrolling.
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("link", { name: "API keys" }).click();
    await page.waitForURL("**/app/settings/keys");
    await expect(page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth")).resolves.toBe(
      true,
    );
    await expectAccessible(page);
    await screenshot(page, "settings-phone-dark");
    await context.close();
  });
});
