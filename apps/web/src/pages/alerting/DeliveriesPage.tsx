import { Link, useSearchParams } from "react-router";
import { api, type components } from "../../api/client.ts";
import { live } from "../../api/live.ts";
import { usePagedList } from "../../api/paged.ts";
import { dateTime } from "../../components/format.ts";
import { PagedVirtualTable } from "../../components/PagedVirtualTable.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import type { Column } from "../../components/VirtualTable.tsx";
import { AlertingNav } from "./AlertingNav.tsx";
import { deliveryOutcome } from "./alerting-forms.ts";
import { useChannelChoices } from "./queries.ts";

type Delivery = components["schemas"]["NotificationDelivery"];

/**
 * /alerting/deliveries: every attempt to notify, newest first, live; `?channel=` narrows it to one
 * channel, `?incident=` to one incident's notifications (the incident page links here).
 */
export function DeliveriesPage() {
  const [params, setParams] = useSearchParams();
  const channelId = params.get("channel") || undefined;
  const incidentId = params.get("incident") || undefined;
  const channels = useChannelChoices();
  const names = new Map(channels.data?.map((c) => [c.id, c.name]));
  const list = usePagedList(
    ["deliveries", channelId, incidentId],
    async (cursor) => {
      const { data } = await api().api.GET("/api/v1/notifications/deliveries", {
        params: {
          query: {
            limit: 100,
            cursor,
            ...(channelId ? { channel_id: channelId } : {}),
            ...(incidentId ? { incident_id: incidentId } : {}),
          },
        },
      });
      return data!;
    },
    live(),
  );
  const columns: Column<Delivery>[] = [
    { header: "Time", width: "11rem", cell: (d) => dateTime(d.created_at) },
    { header: "Channel", width: "minmax(8rem, 1fr)", cell: (d) => names.get(d.channel_id) ?? d.channel_id },
    { header: "Event", width: "10rem", wide: true, cell: (d) => d.event },
    {
      header: "Incident",
      width: "6rem",
      wide: true,
      cell: (d) => (d.incident_id ? <Link to={`/incidents/${d.incident_id}`}>Open</Link> : "—"),
    },
    { header: "Attempt", width: "4.5rem", wide: true, cell: (d) => d.attempt },
    { header: "Status", width: "6.5rem", cell: (d) => <StatusBadge status={d.status} /> },
    { header: "Outcome", width: "minmax(10rem, 2fr)", cell: (d) => deliveryOutcome(d) },
  ];
  return (
    <section className="page">
      <div className="page-head">
        <h1>Alerting</h1>
      </div>
      <AlertingNav />
      <h2>Deliveries</h2>
      <form className="filters" aria-label="Filter deliveries" onSubmit={(event) => event.preventDefault()}>
        <label>
          Channel
          <select
            value={channelId ?? ""}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set("channel", e.target.value);
              else next.delete("channel");
              setParams(next, { replace: true });
            }}
          >
            <option value="">Any</option>
            {channels.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      <PagedVirtualTable
        label="Deliveries"
        list={list}
        columns={columns}
        rowKey={(d) => d.id}
        empty={incidentId ? "No one was notified of this incident." : "No deliveries yet."}
        noun="deliveries"
        one="delivery"
      />
    </section>
  );
}
