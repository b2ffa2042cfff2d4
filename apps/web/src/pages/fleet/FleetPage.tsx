import { useQuery } from "@tanstack/react-query";
import { api, type components, UpfleetError } from "../../api/client.ts";
import { live } from "../../api/live.ts";
import { ago, duration, millis } from "../../components/format.ts";
import { QueryState } from "../../components/QueryState.tsx";
import { ScrollX } from "../../components/ScrollX.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { type Column, VirtualTable } from "../../components/VirtualTable.tsx";
import { type RegionRow, regionRows, sortWorkers } from "./fleet-view.ts";

type Worker = components["schemas"]["Worker"];

const WORKER_COLUMNS: Column<Worker>[] = [
  { header: "Region", width: "minmax(5rem, 1fr)", cell: (w) => w.region },
  { header: "Host", width: "minmax(8rem, 2fr)", cell: (w) => <span title={w.id}>{w.hostname}</span> },
  { header: "Version", width: "6rem", cell: (w) => w.version, wide: true },
  { header: "In flight", width: "6rem", cell: (w) => `${w.in_flight} / ${w.concurrency}` },
  {
    header: "Ping",
    width: "5rem",
    cell: (w) => (w.icmp ? "yes" : <span title={w.icmp_problem ?? undefined}>no</span>),
  },
  { header: "Last seen", width: "8rem", cell: (w) => ago(w.last_seen_at) },
  { header: "Up since", width: "8rem", cell: (w) => ago(w.started_at), wide: true },
  {
    header: "Lag p50 / p99",
    width: "9rem",
    wide: true,
    cell: (w) => (w.schedule_lag_ms ? `${millis(w.schedule_lag_ms.p50)} / ${millis(w.schedule_lag_ms.p99)}` : "—"),
  },
];

/**
 * /fleet, for the deployment's operators: each region's workers, queue and lag, live. The API answers
 * 404 to anyone not in FLEET_ADMIN_EMAILS, which the page explains instead of "not found".
 */
export function FleetPage() {
  const regions = useQuery({
    queryKey: ["fleet", "regions"],
    queryFn: async () => (await api().api.GET("/api/v1/regions")).data!,
    refetchInterval: live(),
    retry: false,
  });
  const workers = useQuery({
    queryKey: ["fleet", "workers"],
    queryFn: async () => (await api().api.GET("/api/v1/workers")).data!,
    refetchInterval: live(),
    enabled: regions.isSuccess,
  });
  const closed = regions.error instanceof UpfleetError && regions.error.status === 404;
  return (
    <section className="page">
      <div className="page-head">
        <h1>Fleet</h1>
      </div>
      {closed ? (
        <p className="alert" role="status">
          The fleet is for this deployment's operators: the addresses in its FLEET_ADMIN_EMAILS setting.
        </p>
      ) : (
        <QueryState query={regions}>{(data) => <Regions rows={regionRows(data)} />}</QueryState>
      )}
      {regions.isSuccess && (
        <>
          <h2 id="workers-title">Workers</h2>
          <QueryState query={workers}>
            {(data) => (
              <VirtualTable
                label="Workers"
                rows={sortWorkers(data)}
                columns={WORKER_COLUMNS}
                rowKey={(w) => w.id}
                empty="No live workers: start one per region (pnpm start, or the worker image)."
              />
            )}
          </QueryState>
        </>
      )}
    </section>
  );
}

function Regions({ rows }: { rows: RegionRow[] }) {
  const missing = rows.filter((r) => r.workers === 0).map((r) => r.name);
  return (
    <>
      {missing.length > 0 && (
        <div className="alert" role="status">
          Regions missing workers: <strong>{missing.join(", ")}</strong>. Their checks are not run until a worker starts
          there.
        </div>
      )}
      <ScrollX label="Regions, scrolling sideways">
        <table aria-label="Regions">
          <thead>
            <tr>
              <th scope="col">Region</th>
              <th scope="col">State</th>
              <th scope="col">Workers</th>
              <th scope="col">Ping workers</th>
              <th scope="col">Queue depth</th>
              <th scope="col">Oldest job</th>
              <th scope="col">Checks / min</th>
              <th scope="col">Lag p50</th>
              <th scope="col">Lag p99</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td>
                  <StatusBadge status={r.problem === null ? "up" : r.workers === 0 ? "down" : "degraded"} />
                  {r.problem && ` ${r.problem}`}
                </td>
                <td>{r.workers}</td>
                <td>
                  {r.icmp_workers}
                  {!r.ping_dispatching && r.workers > 0 && " (ping checks held)"}
                </td>
                <td>{r.queue_depth}</td>
                <td>{r.oldest_job_age_ms === null ? "—" : duration(r.oldest_job_age_ms)}</td>
                <td>{r.checks_per_minute}</td>
                <td>{millis(r.schedule_lag_p50_ms)}</td>
                <td>{millis(r.schedule_lag_p99_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
    </>
  );
}
