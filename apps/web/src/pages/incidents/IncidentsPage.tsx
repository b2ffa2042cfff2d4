import { Link, useSearchParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { live } from "../../api/live.ts";
import { usePagedList } from "../../api/paged.ts";
import { ago, duration } from "../../components/format.ts";
import { PagedVirtualTable } from "../../components/PagedVirtualTable.tsx";
import { PageHead } from "../../components/PageHead.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import type { Column } from "../../components/VirtualTable.tsx";
import {
  INCIDENT_STATUSES,
  type IncidentFilters,
  type IncidentStatus,
  incidentQuery,
  readIncidentFilters,
  writeIncidentFilters,
} from "./incident-view.ts";

type Incident = components["schemas"]["Incident"];

const COLUMNS: Column<Incident>[] = [
  { header: "Status", width: "7.5rem", cell: (i) => <StatusBadge status={i.status} /> },
  {
    header: "Incident",
    width: "minmax(10rem, 2fr)",
    cell: (i) => (
      <Link to={`/incidents/${i.id}`} className="cell-link">
        {i.title}
      </Link>
    ),
  },
  { header: "Started", width: "8rem", cell: (i) => ago(i.started_at) },
  {
    header: "Acknowledged",
    width: "8rem",
    wide: true,
    cell: (i) => (i.acknowledged_at ? ago(i.acknowledged_at) : "no"),
  },
  {
    header: "Lasted",
    width: "7rem",
    wide: true,
    cell: (i) => (i.resolved_at ? duration(Date.parse(i.resolved_at) - Date.parse(i.started_at)) : "ongoing"),
  },
];

/** /incidents: open ones first (or all), live: a monitor going down shows here within seconds. */
export function IncidentsPage() {
  const [params, setParams] = useSearchParams();
  const filters = readIncidentFilters(params);
  const list = usePagedList(
    ["incidents", filters],
    async (cursor) => {
      const { data } = await api().api.GET("/api/v1/incidents", {
        params: { query: { ...incidentQuery(filters), limit: 100, cursor } },
      });
      return data!;
    },
    live(),
  );
  const change = (next: IncidentFilters) => setParams(writeIncidentFilters(next), { replace: true });
  return (
    <section className="page">
      <PageHead title="Incidents" create={{ to: "/incidents/new", label: "Declare an incident" }} />
      <form className="filters" aria-label="Filter incidents" onSubmit={(event) => event.preventDefault()}>
        <label>
          Show
          <select
            value={filters.open ? "open" : "all"}
            onChange={(e) => change({ ...filters, open: e.target.value === "open" })}
          >
            <option value="open">Open</option>
            <option value="all">All</option>
          </select>
        </label>
        <label>
          Status
          <select
            value={filters.status ?? ""}
            onChange={(e) => {
              const { status: _, ...rest } = filters;
              change(e.target.value ? { ...rest, status: e.target.value as IncidentStatus } : rest);
            }}
          >
            <option value="">Any</option>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </form>
      <PagedVirtualTable
        label="Incidents"
        list={list}
        columns={COLUMNS}
        rowKey={(i) => i.id}
        empty={filters.open ? "No open incidents." : "No incidents."}
        noun="incidents"
        one="incident"
      />
    </section>
  );
}
