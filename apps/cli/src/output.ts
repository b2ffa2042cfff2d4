/** A column of a table: its heading and how a row shows in it. */
type Column<T> = [heading: string, cell: (row: T) => unknown];

function text(value: unknown): string {
  if (value === null || value === undefined || value === "") return "-";
  if (Array.isArray(value)) return value.length ? value.join(",") : "-";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Rows under upper-case headings, each column as wide as its widest cell; the last is not padded. */
export function table<T>(rows: T[], columns: Column<T>[]): string {
  const cells = [
    columns.map(([heading]) => heading.toUpperCase()),
    ...rows.map((row) => columns.map(([, cell]) => text(cell(row)))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells
    .map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  "))
    .join("\n");
}

/** One object as `field  value` lines, for `get`-style commands. */
export function fields(entries: [label: string, value: unknown][]): string {
  const width = Math.max(...entries.map(([label]) => label.length));
  return entries.map(([label, value]) => `${label.padEnd(width)}  ${text(value)}`).join("\n");
}
