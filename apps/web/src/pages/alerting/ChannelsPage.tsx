import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, type components } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { ListPage } from "../../components/ListPage.tsx";
import type { TableColumn } from "../../components/Table.tsx";
import { AlertingNav } from "./AlertingNav.tsx";
import { channelTarget, deliveryOutcome } from "./alerting-forms.ts";

type Channel = components["schemas"]["NotificationChannel"];

/** /alerting/channels: where notifications go, each with a "Send test" that shows how the delivery went. */
export function ChannelsPage() {
  const list = usePagedList(["channels", "list"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/notifications/channels", { params: { query: { cursor } } });
    return data!;
  });
  return (
    <ListPage
      title="Alerting"
      create={{ to: "/alerting/channels/new", label: "New channel" }}
      nav={<AlertingNav />}
      heading="Channels"
      list={list}
      columns={COLUMNS}
      empty="No channels yet."
      noun="channels"
      one="channel"
    />
  );
}

const COLUMNS: TableColumn<Channel>[] = [
  {
    header: "Name",
    cell: (channel) => <Link to={`/alerting/channels/${channel.id}/edit`}>{channel.name}</Link>,
  },
  { header: "Type", cell: (channel) => channel.type },
  { header: "Sends to", wide: true, cell: (channel) => <span className="clip">{channelTarget(channel)}</span> },
  {
    header: "Enabled",
    cell: (channel) => (channel.enabled ? "yes" : `no${channel.disabled_reason ? `: ${channel.disabled_reason}` : ""}`),
  },
  { header: "Test", cell: (channel) => <SendTest channel={channel} /> },
];

/** The "Send test" button and, beside it, how the delivery went. */
function SendTest({ channel }: { channel: Channel }) {
  const queries = useQueryClient();
  const test = useMutation({
    mutationFn: async () => {
      const { data } = await api().api.POST("/api/v1/notifications/channels/{id}/test", {
        params: { path: { id: channel.id } },
      });
      return data!;
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ["deliveries"] }),
  });
  return (
    <div className="actions">
      <button
        type="button"
        className="ghost small"
        disabled={test.isPending}
        onClick={() => test.mutate()}
        aria-label={`Send test to ${channel.name}`}
      >
        {test.isPending ? "Sending…" : "Send test"}
      </button>
      <output aria-live="polite" className={test.data?.status === "failed" || test.isError ? "error-text" : undefined}>
        {test.data ? deliveryOutcome(test.data) : test.isError ? test.error.message : ""}
      </output>
    </div>
  );
}
