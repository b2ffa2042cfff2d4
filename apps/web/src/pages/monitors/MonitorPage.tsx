import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { LIVE_MS, live } from "../../api/live.ts";
import { ActionError } from "../../components/ActionError.tsx";
import { ago, dateTime, duration, millis, percent } from "../../components/format.ts";
import { QueryState } from "../../components/QueryState.tsx";
import { ResponseChart, type Series } from "../../components/ResponseChart.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { Table, type TableColumn } from "../../components/Table.tsx";
import { HeartbeatPanel } from "./HeartbeatPanel.tsx";
import { latestPerRegion } from "./regions.ts";

type Monitor = components["schemas"]["Monitor"];
type Check = components["schemas"]["CheckResult"];
const PERIODS = ["24h", "7d", "30d", "90d"] as const;

export function MonitorPage() {
  const { id } = useParams() as { id: string };
  const monitor = useQuery({
    queryKey: ["monitor", id],
    queryFn: () => api().monitors.get(id),
    refetchInterval: live(),
  });
  return <QueryState query={monitor}>{(data) => <MonitorDetail monitor={data} />}</QueryState>;
}

function MonitorDetail({ monitor }: { monitor: Monitor }) {
  const { id } = monitor;
  const navigate = useNavigate();
  const queries = useQueryClient();
  const checks = useQuery({
    queryKey: ["monitor", id, "checks"],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/monitors/{id}/checks", {
        params: { path: { id }, query: { limit: 200 } },
      });
      return data!.data;
    },
    enabled: monitor.type !== "heartbeat",
    refetchInterval: live(),
  });
  const uptime = useQuery({
    queryKey: ["monitor", id, "uptime"],
    queryFn: () =>
      Promise.all(
        PERIODS.map(async (period) => {
          const { data } = await api().api.GET("/api/v1/monitors/{id}/uptime", {
            params: { path: { id }, query: { period } },
          });
          return data!;
        }),
      ),
    refetchInterval: live(LIVE_MS * 10),
  });
  const incidents = useQuery({
    queryKey: ["incidents", { monitor_id: id }],
    queryFn: async () => {
      const { data } = await api().api.GET("/api/v1/incidents", { params: { query: { monitor_id: id, limit: 20 } } });
      return data!.data;
    },
    refetchInterval: live(),
  });
  const act = useMutation({
    mutationFn: async (action: "pause" | "resume" | "delete") => {
      if (action === "delete") return api().monitors.delete(id);
      const updated = await api().monitors[action](id);
      queries.setQueryData(["monitor", id], updated);
    },
    onSuccess: async (_, action) => {
      await queries.invalidateQueries({ queryKey: ["monitors"] });
      if (action === "delete") navigate("/monitors");
    },
  });
  const remove = () => {
    if (confirm(`Delete ${monitor.name}? Its history goes with it.`)) act.mutate("delete");
  };

  return (
    <section className="page">
      <p className="crumbs">
        <Link to="/monitors">Monitors</Link>
      </p>
      <div className="page-head">
        <h1>
          {monitor.name} <StatusBadge status={monitor.paused ? "paused" : monitor.status} />
        </h1>
        <div className="actions">
          <Link className="button ghost" to={`/monitors/${id}/edit`}>
            Edit
          </Link>
          <button type="button" className="ghost" onClick={() => act.mutate(monitor.paused ? "resume" : "pause")}>
            {monitor.paused ? "Resume" : "Pause"}
          </button>
          <button type="button" className="danger" onClick={remove}>
            Delete
          </button>
        </div>
      </div>
      <ActionError error={act.error} />
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd>{monitor.type}</dd>
        </div>
        <div>
          <dt>Last check</dt>
          <dd>{ago(monitor.last_checked_at)}</dd>
        </div>
        <div>
          <dt>Last response</dt>
          <dd>{millis(monitor.last_response_ms)}</dd>
        </div>
        <div>
          <dt>Last error</dt>
          <dd>{monitor.last_error ?? "—"}</dd>
        </div>
      </dl>

      <h2>Uptime</h2>
      <QueryState query={uptime}>
        {(periods) => (
          <dl className="facts">
            {periods.map((p) => (
              <div key={p.period}>
                <dt>{p.period}</dt>
                <dd>{percent(p.uptime_percent)}</dd>
              </div>
            ))}
          </dl>
        )}
      </QueryState>

      {monitor.type === "heartbeat" ? (
        <HeartbeatPanel monitor={monitor} />
      ) : (
        <QueryState query={checks}>{(data) => <ChecksSection checks={data} />}</QueryState>
      )}

      <h2>Incidents</h2>
      <QueryState query={incidents}>
        {(data) =>
          data.length === 0 ? (
            <p className="muted">No incidents.</p>
          ) : (
            <ul className="list" aria-label="Incidents">
              {data.map((incident) => (
                <li key={incident.id}>
                  <StatusBadge status={incident.status} /> {incident.title}{" "}
                  <span className="muted">
                    started {dateTime(incident.started_at)}
                    {incident.resolved_at
                      ? `, lasted ${duration(Date.parse(incident.resolved_at) - Date.parse(incident.started_at))}`
                      : ""}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

const statusCell = (check: Check) => <StatusBadge status={check.status} />;

const REGION_COLUMNS: TableColumn<Check>[] = [
  { header: "Region", cell: (c) => c.region },
  { header: "Status", cell: statusCell },
  { header: "Response", cell: (c) => millis(c.response_ms) },
  { header: "Checked", cell: (c) => ago(c.timestamp) },
];

const CHECK_COLUMNS: TableColumn<Check>[] = [
  { header: "Time", cell: (c) => dateTime(c.timestamp) },
  { header: "Region", cell: (c) => c.region },
  { header: "Status", cell: statusCell },
  { header: "Response", cell: (c) => millis(c.response_ms) },
  { header: "HTTP", cell: (c) => c.http_status ?? "—" },
  { header: "Error", cell: (c) => (c.error ? `${c.error}${c.message ? `: ${c.message}` : ""}` : "—") },
];

function ChecksSection({ checks }: { checks: Check[] }) {
  const series = useMemo<Series[]>(() => {
    const byRegion = new Map<string, Series>();
    for (const check of [...checks].reverse()) {
      const series = byRegion.get(check.region) ?? { label: check.region, points: [] };
      series.points.push([Date.parse(check.timestamp) / 1000, check.response_ms]);
      byRegion.set(check.region, series);
    }
    return [...byRegion.values()];
  }, [checks]);
  return (
    <>
      <h2>Response time</h2>
      {checks.length ? (
        <ResponseChart series={series} title="Response time per region" />
      ) : (
        <p className="muted">No checks yet.</p>
      )}
      <h2>Regions</h2>
      <Table
        label="Regions"
        rows={latestPerRegion(checks)}
        columns={REGION_COLUMNS}
        rowKey={(c) => c.region}
        empty="—"
      />
      <h2>Recent checks</h2>
      <Table
        label="Recent checks"
        rows={checks.slice(0, 50)}
        columns={CHECK_COLUMNS}
        rowKey={(c) => c.id}
        empty="No checks yet."
      />
    </>
  );
}
