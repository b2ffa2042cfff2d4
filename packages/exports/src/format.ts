/** The file formats of an export, as pure functions of rows: nothing here knows where rows come from. */

export const EXPORT_FORMATS = ["csv", "json", "ndjson"] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormatName, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  ndjson: "application/x-ndjson",
};

/** One exported record, with the API's field names. */
export type Row = Record<string, unknown>;

/** Writes a file piece by piece: `start`, one `row` per record, `end`; the pieces concatenated are the file. */
export interface Formatter {
  start(): string;
  row(row: Row): string;
  end(): string;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** What a spreadsheet reads as the start of a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)` in a monitor's name or an error
 * message a target sent) gets a leading `'`, as OWASP recommends: shown as text, never evaluated.
 * Only strings: a negative number is data, and JSON (objects) starts with `{` or `[`.
 */
export function csvText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  const text = String(value);
  return typeof value === "string" && FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * null is an empty field; objects and arrays (a check's details, an incident's updates) are their JSON.
 */
export function csvField(value: unknown): string {
  const text = csvText(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(columns: readonly string[]): Formatter {
  const line = (fields: readonly unknown[]) => `${fields.map(csvField).join(",")}\r\n`;
  return {
    start: () => line(columns),
    row: (row) => line(columns.map((column) => row[column])),
    end: () => "",
  };
}

/** A JSON array, one record per line, so that it can be written (and read) record by record. */
function jsonArray(): Formatter {
  let first = true;
  return {
    start: () => "[",
    row: (row) => {
      const piece = `${first ? "\n" : ",\n"}${JSON.stringify(row)}`;
      first = false;
      return piece;
    },
    end: () => (first ? "]\n" : "\n]\n"),
  };
}

function ndjson(): Formatter {
  return { start: () => "", row: (row) => `${JSON.stringify(row)}\n`, end: () => "" };
}

/** `columns`: the CSV header and field order (JSON keeps each record's own keys, in the same order). */
export function createFormatter(format: ExportFormatName, columns: readonly string[]): Formatter {
  if (format === "csv") return csv(columns);
  if (format === "json") return jsonArray();
  return ndjson();
}
