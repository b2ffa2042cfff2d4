import type { ReactNode } from "react";
import type { usePagedList } from "../api/paged.ts";
import { type Column, VirtualTable } from "./VirtualTable.tsx";

interface Props<T> {
  label: string;
  /** What usePagedList returned. */
  list: ReturnType<typeof usePagedList<T>>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: ReactNode;
  /** What the list holds, and one of them: "incidents", "incident". */
  noun: string;
  one: string;
}

/** A long paged list (incidents, deliveries): its error, the virtualised rows that load more near the end, the count. */
export function PagedVirtualTable<T>({ label, list, columns, rowKey, empty, noun, one }: Props<T>) {
  const { query, rows, more, hasMore } = list;
  return (
    <>
      {query.isError ? (
        <div role="alert" className="alert">
          {query.error.message}
        </div>
      ) : (
        <VirtualTable
          label={label}
          rows={rows}
          columns={columns}
          rowKey={rowKey}
          onNearEnd={more}
          empty={query.isPending ? "Loading…" : empty}
        />
      )}
      <p className="muted" aria-live="polite">
        {rows.length} {hasMore ? "loaded, more as you scroll" : rows.length === 1 ? one : noun}
      </p>
    </>
  );
}
