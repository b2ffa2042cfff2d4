import type { ReactNode } from "react";
import type { usePagedList } from "../api/paged.ts";
import { LoadMore } from "./LoadMore.tsx";
import { PageHead } from "./PageHead.tsx";
import { QueryState } from "./QueryState.tsx";
import { Table, type TableColumn } from "./Table.tsx";

/** The rows as a Table (labelled by the heading, else the title), or drawn by `show` (a list, not a table). */
type Rows<T> = { columns: TableColumn<T>[]; empty: string } | { show: (rows: T[]) => ReactNode };

type Props<T> = Rows<T> & {
  title: string;
  create?: { to: string; label: string };
  /** The section's tabs, under the title. */
  nav?: ReactNode;
  /** The list's own heading, when the title names the section. */
  heading?: string;
  /** What usePagedList returned. */
  list: ReturnType<typeof usePagedList<T>>;
  /** What the list holds ("channels"), and one of them ("channel"). */
  noun: string;
  one: string;
  /** Shown between the heading and the list (a key just created). */
  above?: ReactNode;
  /** Shown after the count (a create form, notes). */
  children?: ReactNode;
};

/** The page of a short paged list (channels, rules, keys…): heading, the rows or their error, the count and "Load more". */
export function ListPage<T extends { id: string }>(props: Props<T>) {
  const { title, create, nav, heading, list, noun, one, above, children } = props;
  const { query, rows, more, hasMore } = list;
  const show =
    "show" in props
      ? props.show
      : (loaded: T[]) => (
          <Table
            label={heading ?? title}
            rows={loaded}
            columns={props.columns}
            rowKey={(row) => row.id}
            empty={props.empty}
          />
        );
  return (
    <section className="page">
      <PageHead title={title} create={create} />
      {nav}
      {heading && <h2>{heading}</h2>}
      {above}
      <QueryState query={query}>{() => show(rows)}</QueryState>
      <LoadMore count={rows.length} hasMore={hasMore} onMore={more} noun={noun} one={one} />
      {children}
    </section>
  );
}
