import { describe, expect, it } from "vitest";
import { renderDiscord, renderSlack } from "./chat.ts";
import { renderEmail } from "./email.ts";
import { summarize, TONE_COLOURS } from "./summary.ts";

const PUBLIC = "https://upfleet.example.com/";
const down = {
  event: "monitor.down",
  monitor: { id: "mon_1", name: "Website", url: "https://example.com", type: "http" },
  status: { http_status: 503, response_ms: 5000, error: "timeout", region: "us-east" },
  incident: { id: "inc_1", status: "investigating" },
  timestamp: "2026-03-25T10:00:00.000Z",
};

describe("summarize", () => {
  it("reads API.md's payload: monitor, state, cause and links", () => {
    expect(summarize(down, PUBLIC)).toEqual({
      event: "monitor.down",
      tone: "down",
      headline: "Website is down",
      monitorName: "Website",
      monitorUrl: "https://example.com",
      cause: "HTTP 503 · timeout · 5000 ms · us-east",
      incidentTitle: null,
      incidentStatus: "investigating",
      links: [
        { label: "Incident", url: "https://upfleet.example.com/api/v1/incidents/inc_1" },
        { label: "Monitor", url: "https://upfleet.example.com/api/v1/monitors/mon_1" },
        { label: "Checked URL", url: "https://example.com/" },
      ],
      timestamp: "2026-03-25T10:00:00.000Z",
      isTest: false,
    });
  });

  it("reads recovery and degraded states", () => {
    expect(summarize({ ...down, event: "monitor.up", status: {} }, PUBLIC)).toMatchObject({
      tone: "up",
      headline: "Website is up again",
      cause: null,
    });
    expect(summarize({ ...down, event: "monitor.degraded" }, PUBLIC).tone).toBe("degraded");
  });

  it("reads incident events that carry only the incident", () => {
    const payload = {
      event: "incident.resolved",
      incident: { id: "inc_9", title: "Payments failing", status: "resolved", cause: { error: "timeout" } },
      timestamp: "2026-03-25T11:00:00.000Z",
    };
    expect(summarize(payload, PUBLIC)).toMatchObject({
      tone: "up",
      headline: "Incident resolved: Payments failing",
      monitorName: null,
      cause: "timeout",
      incidentStatus: "resolved",
      links: [{ label: "Incident", url: "https://upfleet.example.com/api/v1/incidents/inc_9" }],
    });
  });

  it("survives garbage without throwing, and drops links that are not http(s)", () => {
    for (const payload of [null, 42, "x", [], { monitor: "nope", status: [1], incident: 3 }]) {
      expect(summarize(payload, PUBLIC).headline).toEqual(expect.any(String));
    }
    const sneaky = summarize({ event: "monitor.down", monitor: { name: "x", url: "javascript:alert(1)" } }, PUBLIC);
    expect(sneaky.links).toEqual([]);
  });

  it("says when an expiring certificate expires", () => {
    const expiring = {
      event: "ssl.expiring",
      monitor: { id: "mon_2", name: "Shop TLS", url: "shop.example.com", type: "ssl" },
      status: { http_status: null, response_ms: null, error: null, region: "eu-west" },
      incident: null,
      certificate: { days_left: 6, valid_to: "2026-03-31T12:00:00.000Z", threshold: 7 },
      timestamp: "2026-03-25T10:00:00.000Z",
    };
    const headline = "Shop TLS: TLS certificate expires in 6 days (2026-03-31)";
    expect(summarize(expiring, PUBLIC)).toMatchObject({ tone: "warning", headline });
    expect(renderSlack(summarize(expiring, PUBLIC)).text).toBe(`🟡 ${headline} — eu-west`);
    expect(renderDiscord(summarize(expiring, PUBLIC)).embeds[0]).toMatchObject({
      title: headline,
      color: TONE_COLOURS.warning,
    });
    const email = renderEmail(summarize(expiring, PUBLIC));
    expect(email.subject).toBe(`[Upfleet] ${headline}`);
    expect(email.text.startsWith(headline)).toBe(true);
    const soon = { ...expiring, certificate: { days_left: 0, valid_to: "2026-03-26T01:00:00.000Z", threshold: 1 } };
    expect(summarize(soon, PUBLIC).headline).toBe("Shop TLS: TLS certificate expires in less than a day (2026-03-26)");
    const one = { ...expiring, certificate: { days_left: 1, valid_to: null, threshold: 1 } };
    expect(summarize(one, PUBLIC).headline).toBe("Shop TLS: TLS certificate expires in 1 day");
    expect(summarize({ ...expiring, certificate: undefined }, PUBLIC).headline).toBe(
      "Shop TLS has a TLS certificate expiring soon",
    );
  });

  it("reads export.completed: what was exported, linking the API's export (never a file)", () => {
    const completed = {
      event: "export.completed",
      monitor: null,
      status: null,
      incident: null,
      export: { id: "exp_1", type: "checks", format: "csv", row_count: 1234, size_bytes: 56789, download_url: null },
      timestamp: "2026-03-25T10:00:00.000Z",
    };
    expect(summarize(completed, PUBLIC)).toMatchObject({
      tone: "info",
      headline: "Export completed: checks as CSV, 1234 rows",
      monitorName: null,
      cause: null,
      links: [{ label: "Export", url: "https://upfleet.example.com/api/v1/exports/exp_1" }],
    });
    expect(renderEmail(summarize(completed, PUBLIC)).subject).toBe(
      "[Upfleet] Export completed: checks as CSV, 1234 rows",
    );
  });

  it("marks test events", () => {
    expect(summarize({ ...down, event: "test" }, PUBLIC)).toMatchObject({ tone: "test", isTest: true });
  });
});

describe("Slack", () => {
  it("has a text fallback and blocks with monitor, state, cause and links", () => {
    const message = renderSlack(summarize(down, PUBLIC));
    expect(message.text).toBe("🔴 Website is down — HTTP 503 · timeout · 5000 ms · us-east");
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "🔴 Website is down", emoji: true },
    });
    const json = JSON.stringify(message.blocks);
    expect(json).toContain("*Monitor*\\nWebsite");
    expect(json).toContain("<https://upfleet.example.com/api/v1/incidents/inc_1|Incident>");
  });

  it("escapes Slack's control characters in user-given names", () => {
    const message = renderSlack(summarize({ ...down, monitor: { name: "<!channel> & co" } }, PUBLIC));
    expect(JSON.stringify(message.blocks)).toContain("&lt;!channel&gt; &amp; co");
  });
});

describe("Discord", () => {
  it("colours the embed by state and switches mentions off", () => {
    const downMessage = renderDiscord(summarize(down, PUBLIC));
    const upMessage = renderDiscord(summarize({ ...down, event: "monitor.up" }, PUBLIC));
    expect(downMessage.content).toBe("🔴 Website is down");
    expect(downMessage.embeds[0]).toMatchObject({
      title: "Website is down",
      color: TONE_COLOURS.down,
      url: "https://upfleet.example.com/api/v1/incidents/inc_1",
      timestamp: "2026-03-25T10:00:00.000Z",
      fields: expect.arrayContaining([
        { name: "Cause", value: "HTTP 503 · timeout · 5000 ms · us-east", inline: true },
      ]),
    });
    expect(upMessage.embeds[0]).toMatchObject({ color: TONE_COLOURS.up });
    expect(downMessage.allowed_mentions).toEqual({ parse: [] });
  });
});

describe("email", () => {
  it("names the monitor and state in the subject, with text and HTML bodies", () => {
    const email = renderEmail(summarize(down, PUBLIC));
    expect(email.subject).toBe("[Upfleet] Website is down");
    expect(email.text).toContain("Cause: HTTP 503 · timeout · 5000 ms · us-east");
    expect(email.text).toContain("Incident: https://upfleet.example.com/api/v1/incidents/inc_1");
    expect(email.html).toContain('<h2 style="border-left:4px solid #e01e5a');
    expect(email.html).toContain('href="https://upfleet.example.com/api/v1/incidents/inc_1"');
  });

  it("escapes HTML and keeps the subject on one line", () => {
    const email = renderEmail(summarize({ ...down, monitor: { name: "<b>Shop</b>\r\nBcc: x@y" } }, PUBLIC));
    expect(email.html).toContain("&lt;b&gt;Shop&lt;/b&gt;");
    expect(email.html).not.toContain("<b>Shop");
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});
