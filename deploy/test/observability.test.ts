import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEPLOY, registeredMetrics } from "./apps.ts";

/** Metrics from outside the apps that the rules use on purpose: kube-state-metrics' pod readiness. */
const EXTERNAL = new Set(["kube_pod_status_ready"]);

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
]);

/** The metric names a PromQL expression reads (functions, labels, strings and durations left out). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "");
  const names = [...bare.matchAll(/(?<![\w$.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map((m) => m[1] as string);
  return names
    .filter((name) => !KEYWORDS.has(name) && !/^(e|inf|nan)$/i.test(name))
    .map((name) => name.replace(/_(bucket|sum|count)$/, ""));
}

describe("deploy/observability", () => {
  const known = registeredMetrics();
  const check = (where: string, expr: string) => {
    const names = metricNames(expr);
    expect(names.length, `${where}: ${expr}`).toBeGreaterThan(0);
    for (const name of names) {
      const registered = known.has(name) || known.has(`${name}_bucket`) || EXTERNAL.has(name);
      expect(registered, `${where}: ${name} is not a metric the apps register`).toBe(true);
    }
  };

  it("reads metric names out of PromQL", () => {
    expect(
      metricNames('histogram_quantile(0.99, sum by (region, le) (rate(a_seconds_bucket{x="y"}[5m]))) > 5 and b'),
    ).toEqual(["a_seconds", "b"]);
  });

  it("alerts only on metrics the apps register, with each alert the operators need", () => {
    const rules = parse(readFileSync(path.join(DEPLOY, "observability/alerts.yaml"), "utf8")).groups.flatMap(
      (group: { rules: { alert: string; expr: string; for: string }[] }) => group.rules,
    );
    for (const rule of rules) check(rule.alert, rule.expr);
    expect(rules.map((r: { alert: string }) => r.alert).sort()).toEqual([
      "UpfleetDeliveryFailures",
      "UpfleetNotReady",
      "UpfleetQueueDepthGrowing",
      "UpfleetRegionWithoutWorkers",
      "UpfleetResultsRejected",
      "UpfleetScheduleLagHigh",
    ]);
    const lag = rules.find((r: { alert: string }) => r.alert === "UpfleetScheduleLagHigh");
    expect(lag).toMatchObject({ for: "5m", expr: expect.stringMatching(/histogram_quantile\(0\.99,.*> 5$/) });
  });

  it("are rules Prometheus loads (promtool check rules, where Debian's prometheus package is installed)", () => {
    const check = spawnSync("promtool", ["check", "rules", path.join(DEPLOY, "observability/alerts.yaml")], {
      encoding: "utf8",
    });
    if ((check.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return;
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/SUCCESS: 6 rules found/);
  });

  it("charts only metrics the apps register", () => {
    const dashboard = JSON.parse(readFileSync(path.join(DEPLOY, "observability/grafana-dashboard.json"), "utf8"));
    const targets = dashboard.panels.flatMap((panel: { title: string; targets: { expr: string }[] }) =>
      panel.targets.map((target) => ({ title: panel.title, expr: target.expr })),
    );
    expect(targets.length).toBeGreaterThan(10);
    for (const { title, expr } of targets) check(title, expr);
    for (const variable of dashboard.templating.list.filter((v: { type: string }) => v.type === "query")) {
      check(variable.name, variable.query.query.replace(/^label_values\((\w+),.*$/, "$1"));
    }
  });
});
