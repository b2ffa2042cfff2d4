import { Link } from "react-router";
import { api, type components } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { ListPage } from "../../components/ListPage.tsx";
import type { TableColumn } from "../../components/Table.tsx";

type StatusPage = components["schemas"]["StatusPage"];

const COLUMNS: TableColumn<StatusPage>[] = [
  { header: "Name", cell: (page) => <Link to={`/status-pages/${page.id}/edit`}>{page.name}</Link> },
  {
    header: "Address",
    cell: (page) =>
      page.published ? <a href={`/status/${page.slug}`}>/status/{page.slug}</a> : `/status/${page.slug}`,
  },
  { header: "Published", cell: (page) => (page.published ? "yes" : "no (draft)") },
  {
    header: "Preview",
    cell: (page) => (
      <Link to={`/status-pages/${page.id}/preview`} aria-label={`Preview ${page.name}`}>
        Preview
      </Link>
    ),
  },
];

/** /status-pages: the organization's public pages, published or still drafts. */
export function StatusPagesPage() {
  const list = usePagedList(["status-pages", "list"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/status-pages", { params: { query: { cursor } } });
    return data!;
  });
  return (
    <ListPage
      title="Status pages"
      create={{ to: "/status-pages/new", label: "New status page" }}
      list={list}
      columns={COLUMNS}
      empty="No status pages yet."
      noun="status pages"
      one="status page"
    />
  );
}
