import type { ReactNode } from "react";
import { HeaderCells, RowCells } from "./Cells.tsx";
import { ScrollX } from "./ScrollX.tsx";
import type { Column } from "./VirtualTable.tsx";

/** VirtualTable's columns without `width`: a plain table sizes itself. */
export type TableColumn<T> = Pick<Column<T>, "header" | "cell" | "wide">;

interface Props<T> {
  label: string;
  rows: T[];
  columns: TableColumn<T>[];
  rowKey: (row: T) => string;
  empty: ReactNode;
}

/** A short list (channels, rules, pages) as a plain table, scrolled sideways on a phone (by keyboard too). */
export function Table<T>({ label, rows, columns, rowKey, empty }: Props<T>) {
  return (
    <ScrollX label={label}>
      <table aria-label={label}>
        <thead>
          <tr>
            <HeaderCells columns={columns} />
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="muted">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                <RowCells columns={columns} row={row} />
              </tr>
            ))
          )}
        </tbody>
      </table>
    </ScrollX>
  );
}
