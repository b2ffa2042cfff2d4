import { Link } from "react-router";
import { api, type components } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { Table, type TableColumn } from "../../components/Table.tsx";

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
  const { query, rows, more, hasMore } = usePagedList(["status-pages", "list"], async (cursor) => {
    const { data } = await api().api.GET("/api/v1/status-pages", { params: { query: { cursor } } });
    return data!;
  });
  return (
    <section className="page">
      <div className="page-head">
        <h1>Status pages</h1>
        <Link to="/status-pages/new" className="button">
          New status page
        </Link>
      </div>
      <QueryState query={query}>
        {() => (
          <Table label="Status pages" rows={rows} columns={COLUMNS} rowKey={(p) => p.id} empty="No status pages yet." />
        )}
      </QueryState>
      <LoadMore count={rows.length} hasMore={hasMore} onMore={more} noun="status pages" one="status page" />
    </section>
  );
}
