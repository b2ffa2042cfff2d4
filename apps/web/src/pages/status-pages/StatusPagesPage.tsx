import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { usePagedList } from "../../api/paged.ts";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";

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
          <div className="scroll-x">
            <table aria-label="Status pages">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Address</th>
                  <th scope="col">Published</th>
                  <th scope="col">Preview</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      No status pages yet.
                    </td>
                  </tr>
                )}
                {rows.map((page) => (
                  <tr key={page.id}>
                    <td>
                      <Link to={`/status-pages/${page.id}/edit`}>{page.name}</Link>
                    </td>
                    <td>
                      {page.published ? (
                        <a href={`/status/${page.slug}`}>/status/{page.slug}</a>
                      ) : (
                        `/status/${page.slug}`
                      )}
                    </td>
                    <td>{page.published ? "yes" : "no (draft)"}</td>
                    <td>
                      <Link to={`/status-pages/${page.id}/preview`} aria-label={`Preview ${page.name}`}>
                        Preview
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <LoadMore count={rows.length} hasMore={hasMore} onMore={more} noun="status pages" one="status page" />
    </section>
  );
}
