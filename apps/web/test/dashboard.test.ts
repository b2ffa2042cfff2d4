import type { BrowserContext, Page } from "playwright-core";
import { describe, expect } from "vitest";
import { accessibilityProblems, type Dashboard, type InPage, it, screenshot } from "./support.ts";

// The dashboard in a real browser (Debian's chromium through playwright-core) against the real API,
// alerter and worker, and a loopback HTTP target the test makes fail: what a person coming from
// another monitoring tool does first. Each page is checked with axe-core and photographed.

/** The first test also builds the dashboard when its build is stale and starts the API and a browser. */
const FIRST = { timeout: 240_000 };
/** The alerter and worker start within the test, and checks come every 10 s. */
const LIVE = { timeout: 240_000 };
const PASSWORD = "correct horse battery staple";
/** Who signs up through the form; the other tests sign in as an account made through the API. */
const EMAIL = "ada@example.com";
const MEMBER = "grace@example.com";

async function newPage(dashboard: Dashboard): Promise<{ context: BrowserContext; page: Page }> {
  const context = await dashboard.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: dashboard.url });
  return { context, page: await context.newPage() };
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityProblems(page)).toEqual([]);
}

let signedUp: Promise<Response> | undefined;

async function signIn(page: Page, dashboard: Dashboard): Promise<void> {
  signedUp ??= fetch(`${dashboard.url}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: MEMBER, password: PASSWORD, organization_name: "Analytical Engines" }),
  });
  expect((await signedUp).status).toBe(201);
  await page.goto(`${dashboard.url}/app/monitors`);
  await page.waitForURL("**/app/sign-in");
  await page.getByLabel("Email").fill(MEMBER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back where the user was going.
  await page.waitForURL("**/app/monitors");
}

describe("the dashboard", () => {
  it("signs up from the API's address and lands on an empty monitors page", FIRST, async ({ dashboard }) => {
    const { context, page } = await newPage(dashboard);
    await page.goto(`${dashboard.url}/`);
    // A browser opening the API's address is sent to the dashboard, which asks it to sign in.
    await page.waitForURL("**/app/sign-in");
    await page.getByRole("heading", { name: "Sign in to Upfleet" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "sign-in");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Organization").fill("Acme");
    await page.getByLabel("Email").fill(EMAIL);
    // The API's validation message lands on the password field.
    await page.getByLabel(/^Password/).fill("short");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText("must be at least 10 characters").waitFor();
    await page.locator('input[name="password"][aria-invalid="true"]').waitFor();
    await expectAccessible(page);
    await screenshot(page, "sign-up-errors");
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL("**/app/monitors");
    await page.getByText("No monitors match.").waitFor();
    await expectAccessible(page);
    // Signed out, the token no longer opens anything: a reload asks to sign in again.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/app/sign-in");
    await page.goto(`${dashboard.url}/app/monitors`);
    await page.waitForURL("**/app/sign-in");
    await context.close();
  });

  it(
    "creates an http monitor, shows it up, then down live when its target fails",
    LIVE,
    async ({ dashboard, target, startPipeline }) => {
      // Awaited before anything can fail: apps still starting when the test ends would outlive it.
      await startPipeline();
      const { context, page } = await newPage(dashboard);
      await signIn(page, dashboard);
      await page.getByRole("link", { name: "New monitor" }).click();
      await page.getByLabel("Name").fill("Shop");
      await page.getByLabel("URL").fill("not a url");
      await page.getByLabel("Interval (seconds)").fill("10");
      await page.getByRole("button", { name: "Create monitor" }).click();
      // The server's error, on its field.
      await page.locator('input[name="url"][aria-invalid="true"]').waitFor();
      await expectAccessible(page);
      await screenshot(page, "monitor-form-errors");
      await page.getByLabel("URL").fill(`${target.url}/health`);
      await page.getByRole("button", { name: "Create monitor" }).click();
      await page.waitForURL(/\/app\/monitors\/mon_[0-9a-z]{26}$/);
      const heading = page.getByRole("heading", { level: 1 });
      await heading.getByText("up", { exact: true }).waitFor({ timeout: 60_000 });
      await page.getByRole("table", { name: "Recent checks" }).getByText("up").first().waitFor();
      await expectAccessible(page);
      await screenshot(page, "monitor-up");

      // No reload from here on: the page polls.
      target.behave({ status: 500 });
      await heading.getByText("down", { exact: true }).waitFor({ timeout: 60_000 });
      await page
        .getByRole("table", { name: "Recent checks" })
        .getByRole("cell", { name: "500", exact: true })
        .first()
        .waitFor();
      await page.getByRole("list", { name: "Incidents" }).getByText("investigating").waitFor({ timeout: 30_000 });
      await screenshot(page, "monitor-down");

      // Back in history, then the list, filtered to down monitors through the URL.
      await page.goBack();
      await page.goBack();
      await page.waitForURL("**/app/monitors");
      await page.getByRole("link", { name: "Shop" }).waitFor();
      await page.getByLabel("Status").selectOption("down");
      await page.waitForURL("**/app/monitors?status=down");
      await page.getByRole("link", { name: "Shop" }).waitFor();
      await expectAccessible(page);
      await screenshot(page, "monitors");
      await page.getByLabel("Search").fill("nothing like it");
      await page.getByText("No monitors match.").waitFor();
      await page.goBack();
      await page.getByRole("link", { name: "Shop" }).waitFor();

      // Pause and resume; edit shows the stored values.
      await page.getByRole("link", { name: "Shop" }).click();
      await page.getByRole("button", { name: "Pause" }).click();
      await heading.getByText("paused", { exact: true }).waitFor();
      await page.getByRole("button", { name: "Resume" }).click();
      await page.getByRole("button", { name: "Pause" }).waitFor();
      await page.getByRole("link", { name: "Edit" }).click();
      await expect(page.getByLabel("URL").inputValue()).resolves.toBe(`${target.url}/health`);
      await expectAccessible(page);
      await screenshot(page, "monitor-edit");
      await page.getByLabel("Name").fill("Shop front");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("heading", { name: /Shop front/ }).waitFor();

      // Dark theme, kept across a reload, and a phone's width without sideways scrolling.
      await page.getByRole("button", { name: "Switch to dark theme" }).click();
      await page.reload();
      await expect(page.locator("html").getAttribute("data-theme")).resolves.toBe("dark");
      await page.getByRole("heading", { name: /Shop front/ }).waitFor();
      await expectAccessible(page);
      await screenshot(page, "monitor-dark");
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Monitors" }).click();
      await page.getByRole("link", { name: "Shop front" }).waitFor();
      await expect(
        page.evaluate(() => {
          const { document, innerWidth } = globalThis as unknown as InPage;
          return document.documentElement.scrollWidth <= innerWidth;
        }),
      ).resolves.toBe(true);
      await screenshot(page, "monitors-phone");

      // Delete, confirmed.
      await page.getByRole("link", { name: "Shop front" }).click();
      page.once("dialog", (dialog) => void dialog.accept());
      await page.getByRole("button", { name: "Delete" }).click();
      await page.waitForURL("**/app/monitors");
      await page.getByText("No monitors match.").waitFor();
      await context.close();
    },
  );

  it("creates a heartbeat, copies its ping URL and shows the pings live", LIVE, async ({ dashboard }) => {
    const { context, page } = await newPage(dashboard);
    await signIn(page, dashboard);
    await page.getByRole("link", { name: "New monitor" }).click();
    // The list has a "Type" filter too: act once the form is there.
    await page.getByRole("heading", { name: "New monitor" }).waitFor();
    await page.getByLabel("Type").selectOption("heartbeat");
    await page.getByLabel("Name").fill("Nightly backup");
    await page.getByLabel("Cron schedule").fill("0 3 * * *");
    await page.getByRole("button", { name: "Create monitor" }).click();
    await page.waitForURL(/\/app\/monitors\/mon_[0-9a-z]{26}$/);
    await page.getByRole("button", { name: "Copy success URL" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    const copied = await page.evaluate(() => (globalThis as unknown as InPage).navigator.clipboard.readText());
    expect(copied).toMatch(/\/api\/heartbeat\/[A-Za-z0-9_-]+$/);
    await page.getByRole("list", { name: "Ping URLs" }).getByText(`${copied}/start`, { exact: true }).waitFor();
    await page.getByText("0 3 * * * curl").waitFor();
    // The job runs: a start, then its exit code 0, 1.2 s later; the log shows the run's length.
    const ping = (suffix: string) =>
      fetch(`${dashboard.url}${new URL(copied).pathname}${suffix}?rid=run-1`, { method: "POST" });
    expect((await ping("/start")).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await ping("/0")).status).toBe(200);
    const log = page.getByRole("table", { name: "Pings" });
    await log.getByRole("cell", { name: "start" }).waitFor({ timeout: 30_000 });
    // The run's length as the API measured it between the two pings: 1.2 s, more on a loaded machine.
    await log.getByRole("cell", { name: /^[1-9]\d* s$/ }).waitFor();
    await page.getByRole("heading", { level: 1 }).getByText("up", { exact: true }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "heartbeat");
    await context.close();
  });
});
