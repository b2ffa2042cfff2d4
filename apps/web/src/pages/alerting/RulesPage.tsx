import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { AlertingNav } from "./AlertingNav.tsx";
import { useChannelChoices } from "./queries.ts";

const all = (items: string[] | null, noun: string) => (items === null ? `every ${noun}` : items.join(", "));

/** /alerting/rules: which events on which monitors go to which channels. */
export function RulesPage() {
  const channels = useChannelChoices();
  const names = new Map(channels.data?.map((c) => [c.id, c.name]));
  const { query, rows, more, hasMore } = usePagedList(["rules", "list"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/notifications/rules", { params: { query: { cursor } } });
    return data!;
  });
  return (
    <section className="page">
      <div className="page-head">
        <h1>Alerting</h1>
        <Link to="/alerting/rules/new" className="button">
          New rule
        </Link>
      </div>
      <AlertingNav />
      <h2>Rules</h2>
      <QueryState query={query}>
        {() => (
          <div className="scroll-x">
            <table aria-label="Rules">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Events</th>
                  <th scope="col">Monitors</th>
                  <th scope="col">Channels</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      No rules yet: no notification goes out.
                    </td>
                  </tr>
                )}
                {rows.map((rule) => (
                  <tr key={rule.id}>
                    <td>
                      <Link to={`/alerting/rules/${rule.id}/edit`}>{rule.name}</Link>
                    </td>
                    <td>{all(rule.events, "event")}</td>
                    <td>
                      {rule.monitor_ids === null && rule.tags === null
                        ? "every monitor"
                        : [
                            rule.monitor_ids && `${rule.monitor_ids.length} chosen`,
                            rule.tags && `tags ${rule.tags.join(", ")}`,
                          ]
                            .filter(Boolean)
                            .join("; ")}
                    </td>
                    <td>{rule.channel_ids.map((id) => names.get(id) ?? id).join(", ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <LoadMore count={rows.length} hasMore={hasMore} onMore={more} noun="rules" one="rule" />
    </section>
  );
}
