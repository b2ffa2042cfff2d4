import type { ReactNode } from "react";

/** The part of a column both tables draw: its header, each row's cell, and whether a phone's width hides it. */
interface CellColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
  wide?: boolean;
}

const wide = (column: { wide?: boolean }) => (column.wide ? "wide" : undefined);

/** A header row's cells, for Table and VirtualTable alike. */
export function HeaderCells<T>({ columns }: { columns: CellColumn<T>[] }) {
  return columns.map((column) => (
    <th scope="col" key={column.header} className={wide(column)}>
      {column.header}
    </th>
  ));
}

/** One row's cells, for Table and VirtualTable alike. */
export function RowCells<T>({ columns, row }: { columns: CellColumn<T>[]; row: T }) {
  return columns.map((column) => (
    <td key={column.header} className={wide(column)}>
      {column.cell(row)}
    </td>
  ));
}
