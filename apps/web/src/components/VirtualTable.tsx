import { useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, type ReactNode, useEffect, useRef } from "react";
import { HeaderCells, RowCells } from "./Cells.tsx";

export interface Column<T> {
  header: string;
  /** A CSS grid track: "minmax(12rem, 2fr)", "6rem". */
  width: string;
  cell: (row: T) => ReactNode;
  /** Hidden on a phone's width. */
  wide?: boolean;
}

interface Props<T> {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Called when the last rendered rows come near the end of `rows`: load the next page. */
  onNearEnd?: () => void;
  empty?: ReactNode;
  rowHeight?: number;
}

/**
 * A table that renders only the rows in view, so 10,000 rows scroll as smoothly as 10. Still a
 * <table> for assistive technology, laid out as a grid (a virtualised table cannot use table
 * layout: its rows are positioned). Lists page through the API with `onNearEnd`.
 */
export function VirtualTable<T>({ label, rows, columns, rowKey, onNearEnd, empty, rowHeight = 44 }: Props<T>) {
  const scroller = useRef<HTMLTableSectionElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (onNearEnd && rows.length > 0 && last >= rows.length - 20) onNearEnd();
  }, [last, rows.length, onNearEnd]);

  const template = { gridTemplateColumns: columns.map((c) => c.width).join(" ") };
  return (
    <table className="vtable" aria-label={label} aria-rowcount={rows.length + 1}>
      <thead>
        <tr className="vrow vhead" style={template} aria-rowindex={1}>
          <HeaderCells columns={columns} />
        </tr>
      </thead>
      {rows.length === 0 ? (
        <tbody>
          <tr>
            <td className="vempty">{empty ?? "Nothing here."}</td>
          </tr>
        </tbody>
      ) : (
        <tbody ref={scroller} className="vscroll" style={{ "--total": `${virtual.getTotalSize()}px` } as CSSProperties}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <tr
                key={rowKey(row)}
                aria-rowindex={item.index + 2}
                className="vrow"
                style={{ ...template, height: item.size, transform: `translateY(${item.start}px)` }}
              >
                <RowCells columns={columns} row={row} />
              </tr>
            );
          })}
        </tbody>
      )}
    </table>
  );
}
