import { facts, type Summary, TONE_COLOURS, type Tone } from "./summary.ts";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const accent = (tone: Tone) => `#${TONE_COLOURS[tone].toString(16).padStart(6, "0")}`;

const escapeHtml = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// Header injection is nodemailer's to prevent; a subject still reads better on one line.
const oneLine = (value: string) => value.replace(/\s+/g, " ").trim();

/** An email with the monitor and its state in the subject, as plain text and as simple HTML. */
export function renderEmail(summary: Summary): RenderedEmail {
  const subject = oneLine(`[Upfleet] ${summary.headline}`).slice(0, 200);
  const rows: [string, string][] = [
    ...facts(summary),
    ["Event", summary.event],
    ...(summary.timestamp ? [["Time", summary.timestamp] as [string, string]] : []),
  ];
  const text = [
    summary.headline,
    "",
    ...rows.map(([label, value]) => `${label}: ${value}`),
    ...(summary.links.length > 0 ? ["", ...summary.links.map((link) => `${link.label}: ${link.url}`)] : []),
    "",
    "Sent by Upfleet.",
  ].join("\n");
  const html = [
    "<!doctype html>",
    '<html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d1c1d">',
    `<h2 style="border-left:4px solid ${accent(summary.tone)};padding-left:8px">${escapeHtml(summary.headline)}</h2>`,
    '<table cellpadding="4" style="border-collapse:collapse">',
    ...rows.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`),
    "</table>",
    ...(summary.links.length > 0
      ? [
          `<p>${summary.links.map((link) => `<a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a>`).join(" · ")}</p>`,
        ]
      : []),
    '<p style="color:#616061;font-size:12px">Sent by Upfleet.</p>',
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
}
