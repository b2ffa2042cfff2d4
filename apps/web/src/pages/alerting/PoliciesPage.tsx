import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { ListPage } from "../../components/ListPage.tsx";
import { AlertingNav } from "./AlertingNav.tsx";
import { useChannelChoices } from "./queries.ts";

/** /alerting/policies: who is told next while an incident stays unacknowledged. */
export function PoliciesPage() {
  const channels = useChannelChoices();
  const names = new Map(channels.data?.map((c) => [c.id, c.name]));
  const list = usePagedList(["policies", "list"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/escalation-policies", { params: { query: { cursor } } });
    return data!;
  });
  return (
    <ListPage
      title="Alerting"
      create={{ to: "/alerting/policies/new", label: "New escalation policy" }}
      nav={<AlertingNav />}
      heading="Escalation policies"
      list={list}
      show={(rows) =>
        rows.length === 0 ? (
          <p className="muted">No escalation policies yet.</p>
        ) : (
          <ul className="list" aria-label="Escalation policies">
            {rows.map((policy) => (
              <li key={policy.id}>
                <Link to={`/alerting/policies/${policy.id}/edit`}>{policy.name}</Link>
                <ol>
                  {policy.steps.map((step, i) => (
                    <li key={i}>
                      {step.delay_minutes === 0 ? "At once" : `After ${step.delay_minutes} min`}:{" "}
                      {step.channel_ids.map((id) => names.get(id) ?? id).join(", ")}
                    </li>
                  ))}
                </ol>
              </li>
            ))}
          </ul>
        )
      }
      noun="escalation policies"
      one="escalation policy"
    />
  );
}
