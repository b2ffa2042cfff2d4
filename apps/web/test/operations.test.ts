import type { BrowserContext, Page } from "playwright-core";
import { describe, expect } from "vitest";
import { accessibilityProblems, type Dashboard, it, screenshot } from "./support.ts";

// The pages where incidents are handled and people are told (incidents, alerting, status pages,
// maintenance windows) in Debian's chromium against the real API and a loopback target. Each page is
// checked with axe-core and photographed; the user is signed up through the API (the sign-up page has
// its own test in dashboard.test.ts) and the session handed to the browser as the dashboard keeps it.

/** The first test also builds the dashboard when its build is stale and starts the API and a browser. */
const FIRST = { timeout: 240_000 };
const PAGE_TEST = { timeout: 120_000 };

interface Session {
  token: string;
  expiresAt: string;
  email: string;
}

const sessions = new Map<string, Promise<Session>>();

/** The file's one user: signed up once through the API. */
function session(dashboard: Dashboard): Promise<Session> {
  let signedUp = sessions.get(dashboard.url);
  if (!signedUp) {
    signedUp = (async () => {
      const email = "grace@example.com";
      const res = await fetch(`${dashboard.url}/api/v1/auth/signup`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password: "correct horse battery staple", organization_name: "Acme" }),
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { token: string; expires_at: string };
      return { token: body.token, expiresAt: body.expires_at, email };
    })();
    sessions.set(dashboard.url, signedUp);
  }
  return signedUp;
}

/** A browser tab signed in as the file's user (the session in sessionStorage, where the dashboard keeps it). */
async function signedInPage(dashboard: Dashboard): Promise<{ context: BrowserContext; page: Page; token: string }> {
  const current = await session(dashboard);
  const context = await dashboard.browser.newContext({ viewport: { width: 1280, height: 800 } });
  // A script's source, not a function: this file is Node code, typed without the DOM.
  const value = JSON.stringify(JSON.stringify(current));
  await context.addInitScript({ content: `sessionStorage.setItem("upfleet.session", ${value})` });
  return { context, page: await context.newPage(), token: current.token };
}

/** A call to the API as the file's user, for what the test sets up behind the page's back. */
async function call(dashboard: Dashboard, method: string, path: string, body?: unknown) {
  const { token } = await session(dashboard);
  const res = await fetch(`${dashboard.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { id: string };
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityProblems(page)).toEqual([]);
}

describe("incidents", () => {
  it(
    "an incident appears live; acknowledge, post an update, resolve; back and forward",
    FIRST,
    async ({ dashboard }) => {
      const { context, page } = await signedInPage(dashboard);
      await page.goto(`${dashboard.url}/app/incidents`);
      await page.getByRole("heading", { name: "Incidents" }).waitFor();
      await page.getByText("No open incidents.").waitFor();

      // Opened behind the page's back: the list shows it without a reload.
      await call(dashboard, "POST", "/incidents", { title: "Checkout is slow", message: "p99 over 3 s" });
      const link = page.getByRole("link", { name: "Checkout is slow" });
      await link.waitFor({ timeout: 15_000 });
      await expectAccessible(page);
      await screenshot(page, "incidents");

      await link.click();
      await page.waitForURL(/\/app\/incidents\/inc_/);
      await page.getByRole("heading", { name: /Checkout is slow/ }).waitFor();
      const timeline = page.getByRole("list", { name: "Timeline" });
      await timeline.getByText("p99 over 3 s").waitFor();
      await expectAccessible(page);

      await page.getByRole("button", { name: "Acknowledge" }).click();
      await timeline.getByText("Acknowledged by").waitFor();
      await expect(page.getByRole("button", { name: "Acknowledge" }).count()).resolves.toBe(0);

      // The API's validation error lands on its field: an update needs a message.
      await page.getByRole("button", { name: "Post update" }).click();
      await page.locator(".field.invalid textarea[name=message]").waitFor();
      await page.getByLabel("Status").selectOption("identified");
      await page.getByLabel("Message").fill("A bad deploy; rolling back");
      await page.getByRole("button", { name: "Post update" }).click();
      await timeline.getByText("A bad deploy; rolling back").waitFor();
      await expect(page.getByLabel("Message").inputValue()).resolves.toBe("");
      await screenshot(page, "incident");

      await page.getByRole("button", { name: "Resolve" }).click();
      await timeline.getByText("Resolved", { exact: true }).waitFor();
      await expect(page.getByRole("button", { name: "Post update" }).count()).resolves.toBe(0);

      // Its notifications: none, as no rule sends anywhere in this organization yet.
      await page.getByRole("link", { name: "Who was told" }).click();
      await page.waitForURL(/\/app\/alerting\/deliveries\?incident=inc_/);
      await page.getByText("No one was notified of this incident.").waitFor();
      await page.goBack();
      await timeline.getByText("Resolved", { exact: true }).waitFor();

      // Resolved: gone from the open list, there with all of them; back and forward walk the URLs.
      await page.getByRole("link", { name: "Incidents", exact: true }).first().click();
      await page.getByText("No open incidents.").waitFor();
      await page.getByLabel("Show").selectOption("all");
      await page.waitForURL(/\/app\/incidents\?all/);
      await page.getByRole("link", { name: "Checkout is slow" }).waitFor();
      await page.goBack();
      await page.waitForURL(/\/app\/incidents\/inc_/);
      await page.goForward();
      await page.waitForURL(/\/app\/incidents/);

      // A phone's width in the dark theme.
      await page.emulateMedia({ colorScheme: "dark" });
      await page.setViewportSize({ width: 390, height: 800 });
      await page.reload();
      await page.getByRole("link", { name: "Checkout is slow" }).waitFor();
      await expectAccessible(page);
      await screenshot(page, "incidents-phone-dark");
      await context.close();
    },
  );
});

describe("alerting", () => {
  it(
    "a webhook channel with its test delivered, a policy, a rule and the deliveries log",
    PAGE_TEST,
    async ({ dashboard, target }) => {
      const { context, page } = await signedInPage(dashboard);
      await page.goto(`${dashboard.url}/app/alerting`);
      await page.waitForURL("**/app/alerting/channels");
      await page.getByText("No channels yet.").waitFor();

      // The API's refusal shows on the field it names.
      await page.getByRole("link", { name: "New channel" }).click();
      await page.getByLabel("Type").selectOption("slack");
      await page.getByLabel("Name").fill("Team chat");
      await page.getByLabel("Slack incoming webhook URL").fill("not a url");
      await page.getByRole("button", { name: "Create channel" }).click();
      await page.locator(".field.invalid").getByLabel("Slack incoming webhook URL").waitFor();
      await expectAccessible(page);
      await screenshot(page, "channel-form-error");

      await page.getByLabel("Type").selectOption("webhook");
      await page.getByLabel("Name").fill("Ops webhook");
      await page.getByLabel("URL").fill(`${target.url}/hook`);
      await page.getByRole("button", { name: "Create channel" }).click();
      // No secret given: the generated one is shown this once.
      await page.getByRole("heading", { name: "Channel created" }).waitFor();
      await expect(page.locator("code").textContent()).resolves.toMatch(/^whsec_/);
      await page.getByRole("link", { name: "Done" }).click();
      await page.waitForURL("**/app/alerting/channels");

      await page.getByRole("button", { name: "Send test to Ops webhook" }).click();
      await page.getByText(/^succeeded: HTTP 200, in \d+ ms$/).waitFor();
      expect(target.hits.get("/hook")).toBe(1);
      await expectAccessible(page);
      await screenshot(page, "alerting-channels");

      await page.getByRole("link", { name: "Escalation policies" }).click();
      await page.getByRole("link", { name: "New escalation policy" }).click();
      await page.getByLabel("Name").fill("Page the on-call");
      await page
        .getByRole("group", { name: "Step 1: send to" })
        .getByLabel(/Ops webhook/)
        .check();
      await page.getByRole("button", { name: "Add a step" }).click();
      await page.getByLabel("Step 2: delay (minutes)").fill("15");
      await page
        .getByRole("group", { name: "Step 2: send to" })
        .getByLabel(/Ops webhook/)
        .check();
      await expectAccessible(page);
      await page.getByRole("button", { name: "Create policy" }).click();
      await page.waitForURL("**/app/alerting/policies");
      await page.getByText("After 15 min: Ops webhook").waitFor();
      await expectAccessible(page);

      await page.getByRole("link", { name: "Rules" }).click();
      await page.getByRole("link", { name: "New rule" }).click();
      await page.getByLabel("Name").fill("Anything down");
      await page
        .getByRole("group", { name: "Send to" })
        .getByLabel(/Ops webhook/)
        .check();
      await page.getByLabel("Escalation policy").selectOption({ label: "Page the on-call" });
      await expectAccessible(page);
      await screenshot(page, "rule-form");
      await page.getByRole("button", { name: "Create rule" }).click();
      await page.waitForURL("**/app/alerting/rules");
      const row = page.getByRole("row", { name: /Anything down/ });
      await row.waitFor();
      await expect(row.textContent()).resolves.toContain("monitor.down, monitor.up");
      await expectAccessible(page);
      await screenshot(page, "alerting-rules");

      // The rule reads back as saved.
      await page.getByRole("link", { name: "Anything down" }).click();
      await expect.poll(() => page.getByLabel("Escalation policy").inputValue()).toMatch(/^esc_/);
      await page.goBack();
      await page.waitForURL("**/app/alerting/rules");

      await page.getByRole("link", { name: "Deliveries" }).click();
      // The log refreshes live: the test's attempt shows with its outcome.
      await page.getByRole("row", { name: /Ops webhook.*test.*succeeded: HTTP 200/ }).waitFor();
      await expectAccessible(page);
      await screenshot(page, "alerting-deliveries");
      await context.close();
    },
  );
});

describe("status pages and maintenance windows", () => {
  it(
    "creates a page, previews it unpublished, publishes it, shows a declared incident; creates and edits a window",
    PAGE_TEST,
    async ({ dashboard, target }) => {
      await call(dashboard, "POST", "/monitors", { name: "Website", type: "http", url: `${target.url}/` });
      const { context, page } = await signedInPage(dashboard);
      await page.goto(`${dashboard.url}/app/status-pages`);
      await page.getByText("No status pages yet.").waitFor();
      await page.getByRole("link", { name: "New status page" }).click();
      await page.getByLabel("Name", { exact: true }).fill("Acme status");
      await page.getByLabel("Slug").fill("acme-status");
      await page.getByLabel("Description").fill("How our services are doing");
      const section = page.getByRole("group", { name: "Section 1: monitors" });
      await section.getByLabel("Find a monitor").fill("webs");
      await section.getByRole("button", { name: "Add Website" }).click();
      await section.getByRole("button", { name: "Remove Website" }).waitFor();
      await expectAccessible(page);
      await screenshot(page, "status-page-form");
      await page.getByRole("button", { name: "Create status page" }).click();

      await page.waitForURL(/\/app\/status-pages\/stp_\w+\/preview/);
      await page.getByText("Not published").waitFor();
      const preview = page.getByRole("article", { name: "Status page preview" });
      await preview.getByRole("heading", { name: "Acme status" }).waitFor();
      await preview.getByText("Website").waitFor();
      expect((await fetch(`${dashboard.url}/status/acme-status`)).status).toBe(404);
      await expectAccessible(page);
      await screenshot(page, "status-page-preview");

      await page.getByRole("link", { name: "Edit" }).click();
      await expect.poll(() => page.getByLabel("Slug").inputValue(), { timeout: 30_000 }).toBe("acme-status");
      await page.getByLabel("Published").check();
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForURL(/\/preview$/);
      await page.getByRole("link", { name: "Open the public page" }).waitFor();
      expect((await fetch(`${dashboard.url}/status/acme-status`)).status).toBe(200);
      await page.getByRole("link", { name: "Status pages", exact: true }).last().click();
      await page
        .getByRole("row", { name: /Acme status/ })
        .getByText("yes")
        .waitFor();
      await expectAccessible(page);
      await screenshot(page, "status-pages");

      // A declared incident on a listed monitor shows in the page's preview (the API's error on its field first).
      await page.getByRole("link", { name: "Incidents", exact: true }).click();
      await page.getByRole("link", { name: "Declare an incident" }).click();
      await page.getByRole("button", { name: "Declare incident" }).click();
      await page.locator(".field.invalid input[name=title]").waitFor();
      await page.getByLabel("Title").fill("Website is slow");
      await page.getByLabel("Message").fill("Pages take seconds to load");
      const monitor = page.getByRole("group", { name: "Monitor" });
      await monitor.getByLabel("Find a monitor").fill("Website");
      await monitor.getByRole("button", { name: "Add Website" }).click();
      // One monitor at most: the search goes once it is chosen.
      await expect(monitor.getByLabel("Find a monitor").count()).resolves.toBe(0);
      await expectAccessible(page);
      await screenshot(page, "declare-incident");
      await page.getByRole("button", { name: "Declare incident" }).click();
      await page.waitForURL(/\/app\/incidents\/inc_/);
      await page.getByRole("link", { name: "Website" }).waitFor();
      await page.getByRole("link", { name: "Status pages", exact: true }).click();
      await page.getByRole("link", { name: "Preview Acme status" }).click();
      await page.getByRole("article", { name: "Status page preview" }).getByText("Website is slow").waitFor();

      await page.getByRole("link", { name: "Maintenance" }).click();
      await page.getByText("No maintenance windows.").waitFor();
      await page.getByRole("link", { name: "New window" }).click();
      await page.getByLabel("Name").fill("Database upgrade");
      const monitors = page.getByRole("group", { name: "Monitors" });
      await monitors.getByLabel("Find a monitor").fill("Website");
      await monitors.getByRole("button", { name: "Add Website" }).click();
      await page.getByLabel("Repeats").selectOption("weekly");
      await expectAccessible(page);
      await page.getByRole("button", { name: "Create window" }).click();
      await page.waitForURL("**/app/maintenance");
      await page.getByRole("link", { name: "Database upgrade" }).click();
      // The form fills itself once the window is read: an edit typed before that would be overwritten.
      await expect.poll(() => page.getByLabel("Name").inputValue(), { timeout: 30_000 }).toBe("Database upgrade");
      await page.getByLabel("Name").fill("Database upgrade (v17)");
      await page.getByRole("button", { name: "Save" }).click();
      await page.waitForURL("**/app/maintenance");
      const row = page.getByRole("row", { name: /Database upgrade \(v17\)/ });
      await row.waitFor();
      await expect(row.textContent()).resolves.toContain("weekly");
      await expectAccessible(page);
      await screenshot(page, "maintenance");
      await context.close();
    },
  );
});
