import { Link } from "react-router";
import { api, type components } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { dateTime } from "../../components/format.ts";
import { ListPage } from "../../components/ListPage.tsx";
import type { TableColumn } from "../../components/Table.tsx";

type Window = components["schemas"]["MaintenanceWindow"];

const COLUMNS: TableColumn<Window>[] = [
  { header: "Name", cell: (w) => <Link to={`/maintenance/${w.id}/edit`}>{w.name}</Link> },
  { header: "Now", cell: (w) => (w.active ? "in maintenance" : "—") },
  {
    header: "Next",
    cell: (w) =>
      w.next_occurrence ? `${dateTime(w.next_occurrence.starts_at)} – ${dateTime(w.next_occurrence.ends_at)}` : "over",
  },
  { header: "Repeats", cell: (w) => (w.repeat ? `${w.repeat} (${w.timezone})` : "no") },
  { header: "Monitors", wide: true, cell: (w) => w.monitor_ids.length },
];

/** /maintenance: windows when checks run but no incident opens and no one is notified. */
export function MaintenancePage() {
  const list = usePagedList(["maintenance", "list"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/maintenance-windows", { params: { query: { cursor } } });
    return data!;
  });
  return (
    <ListPage
      title="Maintenance windows"
      create={{ to: "/maintenance/new", label: "New window" }}
      list={list}
      columns={COLUMNS}
      empty="No maintenance windows."
      noun="windows"
      one="window"
    />
  );
}
