import { Link } from "react-router";
import { api, type components } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { ListPage } from "../../components/ListPage.tsx";
import type { TableColumn } from "../../components/Table.tsx";
import { AlertingNav } from "./AlertingNav.tsx";
import { useChannelChoices } from "./queries.ts";

type Rule = components["schemas"]["NotificationRule"];

const all = (items: string[] | null, noun: string) => (items === null ? `every ${noun}` : items.join(", "));

/** /alerting/rules: which events on which monitors go to which channels. */
export function RulesPage() {
  const channels = useChannelChoices();
  const names = new Map(channels.data?.map((c) => [c.id, c.name]));
  const list = usePagedList(["rules", "list"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/notifications/rules", { params: { query: { cursor } } });
    return data!;
  });
  const columns: TableColumn<Rule>[] = [
    { header: "Name", cell: (rule) => <Link to={`/alerting/rules/${rule.id}/edit`}>{rule.name}</Link> },
    { header: "Events", cell: (rule) => all(rule.events, "event") },
    {
      header: "Monitors",
      cell: (rule) =>
        rule.monitor_ids === null && rule.tags === null
          ? "every monitor"
          : [rule.monitor_ids && `${rule.monitor_ids.length} chosen`, rule.tags && `tags ${rule.tags.join(", ")}`]
              .filter(Boolean)
              .join("; "),
    },
    { header: "Channels", cell: (rule) => rule.channel_ids.map((id) => names.get(id) ?? id).join(", ") || "—" },
  ];
  return (
    <ListPage
      title="Alerting"
      create={{ to: "/alerting/rules/new", label: "New rule" }}
      nav={<AlertingNav />}
      heading="Rules"
      list={list}
      columns={columns}
      empty="No rules yet: no notification goes out."
      noun="rules"
      one="rule"
    />
  );
}
