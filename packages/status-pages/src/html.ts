import { createHash } from "node:crypto";
import type { ComponentState, OverallState } from "./states.ts";
import type { DailyUptime } from "./uptime.ts";
import type { PublicComponent, PublicIncident, PublicView } from "./view.ts";

/** Every value from a page, a monitor or an incident goes through this before it reaches the HTML. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:860px;margin:0 auto;padding:32px 16px}
h1{margin:0 0 4px;font-size:28px}h2{font-size:18px;margin:32px 0 12px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px;margin-bottom:12px}
.banner{color:#fff;font-weight:600;font-size:18px}
.operational,.b-ok{background:#1a7f37}.degraded,.b-warn{background:#bf8700}.partial_outage{background:#bc4c00}
.major_outage,.b-bad{background:#cf222e}.under_maintenance{background:#0969da}.b-none{background:#d0d7de}
.row{display:flex;justify-content:space-between;gap:12px}
.state{font-weight:600}.s-operational{color:#1a7f37}.s-degraded{color:#9a6700}.s-outage{color:#cf222e}
.s-maintenance{color:#0969da}.s-paused,.s-no_data,.muted{color:#656d76}
.bars{display:flex;gap:2px;height:32px;margin:10px 0 4px}.bars span{flex:1;border-radius:2px}
.legend{display:flex;justify-content:space-between;font-size:12px;color:#656d76}
ol{list-style:none;margin:8px 0 0;padding:0}li{margin:6px 0}
footer{margin-top:40px;font-size:12px;color:#656d76;text-align:center}
`;

/**
 * No script and no outside resource may run or load: the one style block is allowed by its hash
 * (not 'unsafe-inline'), so even an escaping mistake could not inject a style or a script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(CSS).digest("base64")}'`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const OVERALL_LABELS: Record<OverallState, string> = {
  operational: "All systems operational",
  degraded: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  under_maintenance: "Under maintenance",
};

const COMPONENT_LABELS: Record<ComponentState, string> = {
  operational: "Operational",
  degraded: "Degraded",
  outage: "Outage",
  maintenance: "Under maintenance",
  paused: "Paused",
  no_data: "No data yet",
};

const formatPercent = (percent: number | null) => (percent === null ? "no data" : `${percent}%`);

function barClass(percent: number | null): string {
  if (percent === null) return "b-none";
  if (percent >= 99.5) return "b-ok";
  return percent >= 95 ? "b-warn" : "b-bad";
}

const bar = (day: DailyUptime) =>
  `<span class="${barClass(day.uptime_percent)}" title="${day.date}: ${formatPercent(day.uptime_percent)}"></span>`;

function component(c: PublicComponent): string {
  return `<div class="card"><div class="row"><strong>${escapeHtml(c.name)}</strong><span class="state s-${c.status}">${COMPONENT_LABELS[c.status]}</span></div>
<div class="bars">${c.days.map(bar).join("")}</div>
<div class="legend"><span>90 days ago</span><span>${formatPercent(c.uptime_percent)} uptime</span><span>Today</span></div></div>`;
}

function incident(i: PublicIncident, names: ReadonlyMap<string, string>): string {
  const updates = [...i.updates]
    .reverse()
    .map(
      (u) =>
        `<li><strong>${escapeHtml(u.status)}</strong> <span class="muted">${u.created_at}</span>${u.message === null ? "" : ` — ${escapeHtml(u.message)}`}</li>`,
    )
    .join("");
  const when = i.resolved_at ? `${i.started_at} – ${i.resolved_at}` : `since ${i.started_at}`;
  return `<div class="card"><div class="row"><strong>${escapeHtml(i.title)}</strong><span class="muted">${escapeHtml(i.status)}</span></div>
<div class="muted">${escapeHtml(names.get(i.monitor_id) ?? "")} · ${when} (UTC)</div>${updates ? `<ol>${updates}</ol>` : ""}</div>`;
}

function document(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main>${body}</main></body></html>`;
}

/** The public page, server-rendered: no script, no external asset. */
export function renderPage(view: PublicView): string {
  const names = new Map(view.sections.flatMap((s) => s.components.map((c) => [c.id, c.name] as const)));
  const incidents = (list: PublicIncident[]) => list.map((i) => incident(i, names)).join("");
  const sections = view.sections
    .map((s) => `<h2>${escapeHtml(s.name)}</h2>${s.components.map(component).join("")}`)
    .join("");
  const active = view.active_incidents.length ? `<h2>Active incidents</h2>${incidents(view.active_incidents)}` : "";
  const recent = view.recent_incidents.length
    ? incidents(view.recent_incidents)
    : `<p class="muted">No incidents in the last 14 days.</p>`;
  return document(
    `${view.name} status`,
    `<header><h1>${escapeHtml(view.name)}</h1>${view.description ? `<p>${escapeHtml(view.description)}</p>` : ""}</header>
<div class="card banner ${view.status}">${OVERALL_LABELS[view.status]}</div>
${active}${sections}<h2>Past incidents (14 days)</h2>${recent}
<footer>Updated ${view.generated_at} · Powered by Upfleet</footer>`,
  );
}

/** For an unknown or unpublished page: says nothing about which of the two it is. */
export function renderNotFound(): string {
  return document(
    "Status page not found",
    `<h1>Status page not found</h1><p class="muted">There is no status page here.</p>`,
  );
}
