import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { dateTime } from "../../components/format.ts";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";

/** /maintenance: windows when checks run but no incident opens and no one is notified. */
export function MaintenancePage() {
  const { query, rows, more, hasMore } = usePagedList(["maintenance", "list"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/maintenance-windows", { params: { query: { cursor } } });
    return data!;
  });
  return (
    <section className="page">
      <div className="page-head">
        <h1>Maintenance windows</h1>
        <Link to="/maintenance/new" className="button">
          New window
        </Link>
      </div>
      <QueryState query={query}>
        {() => (
          <div className="scroll-x">
            <table aria-label="Maintenance windows">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Now</th>
                  <th scope="col">Next</th>
                  <th scope="col">Repeats</th>
                  <th scope="col">Monitors</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      No maintenance windows.
                    </td>
                  </tr>
                )}
                {rows.map((w) => (
                  <tr key={w.id}>
                    <td>
                      <Link to={`/maintenance/${w.id}/edit`}>{w.name}</Link>
                    </td>
                    <td>{w.active ? "in maintenance" : "—"}</td>
                    <td>
                      {w.next_occurrence
                        ? `${dateTime(w.next_occurrence.starts_at)} – ${dateTime(w.next_occurrence.ends_at)}`
                        : "over"}
                    </td>
                    <td>{w.repeat ? `${w.repeat} (${w.timezone})` : "no"}</td>
                    <td>{w.monitor_ids.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <LoadMore count={rows.length} hasMore={hasMore} onMore={more} noun="windows" one="window" />
    </section>
  );
}
