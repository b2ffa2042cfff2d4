import { facts, type Summary, TONE_COLOURS, type Tone } from "./summary.ts";

const EMOJI: Record<Tone, string> = {
  down: "🔴",
  up: "🟢",
  degraded: "🟠",
  warning: "🟡",
  info: "🔵",
  test: "🧪",
};

const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

// Slack mrkdwn treats these three as control characters; everything else is literal.
const slackEscape = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// Inside <url|label>, a "|" or ">" in the URL would end it early.
const slackUrl = (url: string) => url.replace(/\|/g, "%7C").replace(/>/g, "%3E");

/** A Slack incoming-webhook message: `text` for notifications and old clients, `blocks` to read. */
export function renderSlack(summary: Summary): { text: string; blocks: unknown[] } {
  const title = `${EMOJI[summary.tone]} ${summary.headline}`;
  const blocks: unknown[] = [{ type: "header", text: { type: "plain_text", text: clip(title, 150), emoji: true } }];
  const rows = facts(summary);
  if (rows.length > 0) {
    blocks.push({
      type: "section",
      fields: rows.map(([label, value]) => ({ type: "mrkdwn", text: clip(`*${label}*\n${slackEscape(value)}`, 2000) })),
    });
  }
  if (summary.links.length > 0) {
    const links = summary.links.map((link) => `<${slackUrl(link.url)}|${link.label}>`).join("  ·  ");
    blocks.push({ type: "section", text: { type: "mrkdwn", text: links } });
  }
  const context = [summary.event, summary.timestamp].filter(Boolean).join(" · ");
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: slackEscape(context) }] });
  const text = [title, summary.cause].filter(Boolean).join(" — ");
  return { text: clip(text, 3000), blocks };
}

/**
 * A Discord webhook message: a one-line `content` and an embed coloured by state. Mentions are
 * switched off, so a monitor named "@everyone" pings nobody.
 */
export function renderDiscord(summary: Summary): {
  content: string;
  embeds: unknown[];
  allowed_mentions: { parse: string[] };
} {
  const title = `${EMOJI[summary.tone]} ${summary.headline}`;
  const firstLink = summary.links[0];
  const description = summary.links.map((link) => `[${link.label}](${link.url})`).join(" · ");
  return {
    content: clip(title, 2000),
    embeds: [
      {
        title: clip(summary.headline, 256),
        ...(firstLink ? { url: firstLink.url } : {}),
        color: TONE_COLOURS[summary.tone],
        ...(description ? { description: clip(description, 4096) } : {}),
        fields: facts(summary).map(([name, value]) => ({ name, value: clip(value, 1024), inline: true })),
        ...(summary.timestamp ? { timestamp: summary.timestamp } : {}),
        footer: { text: `Upfleet · ${summary.event}` },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
