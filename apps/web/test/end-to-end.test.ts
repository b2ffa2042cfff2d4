import { hostname } from "node:os";
import { expect } from "vitest";
import { accessibilityProblems, it, OPERATOR_EMAIL, screenshot } from "./support.ts";

// Issue #17's "Tested in a real browser" story in one go, as a new operator lives it, against the
// real API, alerter and a worker of the local region: sign up, an http monitor against a loopback
// target goes up, the target fails, the incident appears live, is acknowledged and resolved; a
// webhook channel gets a test; the fleet page shows the local worker. No reload anywhere: every
// change reaches the open page through the live polls.

/** Builds the dashboard when stale, starts the API, a browser, the alerter and a worker; checks every 10 s. */
const STORY = { timeout: 300_000 };

it(
  "sign up → monitor up → target fails → incident live → acknowledge → resolve; webhook test; fleet",
  STORY,
  async ({ dashboard, target, startPipeline }) => {
    const pipeline = startPipeline();
    const context = await dashboard.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const expectAccessible = async () => expect(await accessibilityProblems(page)).toEqual([]);

    await page.goto(`${dashboard.url}/`);
    await page.waitForURL("**/app/sign-in");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Organization").fill("Story Inc");
    await page.getByLabel("Email").fill(OPERATOR_EMAIL);
    await page.getByLabel(/^Password/).fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL("**/app/monitors");

    await page.getByRole("link", { name: "New monitor" }).click();
    await page.getByLabel("Name").fill("Checkout");
    await page.getByLabel("URL").fill(`${target.url}/health`);
    await page.getByLabel("Interval (seconds)").fill("10");
    await page.getByRole("button", { name: "Create monitor" }).click();
    await page.waitForURL(/\/app\/monitors\/mon_[0-9a-z]{26}$/);
    await pipeline;
    await page.getByRole("heading", { level: 1 }).getByText("up", { exact: true }).waitFor({ timeout: 60_000 });

    // The incidents page is open when the target starts failing: the incident arrives on its own.
    await page.getByRole("link", { name: "Incidents", exact: true }).click();
    await page.getByText("No open incidents.").waitFor();
    target.behaveAt("/health", { status: 500 });
    const incident = page.getByRole("link", { name: "Checkout is down" });
    await incident.waitFor({ timeout: 60_000 });
    await expectAccessible();
    await screenshot(page, "story-incident-live");

    await incident.click();
    const timeline = page.getByRole("list", { name: "Timeline" });
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await timeline.getByText("Acknowledged by").waitFor();
    await page.getByRole("button", { name: "Resolve" }).click();
    await timeline.getByText("Resolved", { exact: true }).waitFor();
    await expectAccessible();

    // A webhook channel to the loopback target, and its test delivery's result on the page.
    await page.getByRole("link", { name: "Alerting", exact: true }).click();
    await page.waitForURL("**/app/alerting/channels");
    await page.getByRole("link", { name: "New channel" }).click();
    await page.getByLabel("Type").selectOption("webhook");
    await page.getByLabel("Name").fill("Ops webhook");
    await page.getByLabel("URL").fill(`${target.url}/hook`);
    await page.getByRole("button", { name: "Create channel" }).click();
    await page.getByRole("link", { name: "Done" }).click();
    await page.getByRole("button", { name: "Send test to Ops webhook" }).click();
    await page.getByText(/^succeeded: HTTP 200, in \d+ ms$/).waitFor();
    expect(target.hits.get("/hook")).toBe(1);

    // The operator's fleet: the local region's worker, the one that ran these checks.
    await page.getByRole("link", { name: "Fleet", exact: true }).click();
    await page.getByRole("table", { name: "Workers" }).getByRole("cell", { name: hostname() }).waitFor();
    await page
      .getByRole("table", { name: "Regions" })
      .getByRole("row", { name: /^local up 1 / })
      .waitFor();
    await expectAccessible();
    await context.close();
  },
);
