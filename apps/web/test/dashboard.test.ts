import { expect } from "vitest";
import { accessibilityProblems, it, screenshot } from "./support.ts";

// The dashboard in a real browser (Debian's chromium through playwright-core) against the real API,
// alerter and worker: what a person coming from another monitoring tool does first.

/** The first test also builds the dashboard when its build is stale and starts the API and a browser. */
const FIRST = { timeout: 240_000 };

it("signs up and lands on the monitors page", FIRST, async ({ dashboard }) => {
  const context = await dashboard.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${dashboard.url}/`);
  // A browser opening the API's address is sent to the dashboard, which asks it to sign in.
  await page.waitForURL("**/app/sign-in");
  await page.getByRole("heading", { name: "Sign in to Upfleet" }).waitFor();
  expect(await accessibilityProblems(page)).toEqual([]);
  await screenshot(page, "sign-in");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Organization").fill("Acme");
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL("**/app/monitors");
  await page.getByRole("heading", { name: "Monitors" }).waitFor();
  await page.getByText("No monitors match.").waitFor();
  expect(await accessibilityProblems(page)).toEqual([]);
  await screenshot(page, "monitors-empty");
  await context.close();
});
