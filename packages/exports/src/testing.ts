import type { Db } from "@upfleet/db";
import { presentIncident } from "@upfleet/incidents";
import { csvText, type ExportFormatName, type Row } from "./format.ts";
import { type ExportScope, presentCheck } from "./rows.ts";

/**
 * A strict RFC 4180 reader for tests: the header and the records as strings, so a test can compare an
 * exported CSV with the rows it should hold without trusting the writer it checks.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && field === "") {
      // A quoted field runs to the first quote that is not one of a doubled pair.
      let end = i + 1;
      for (;;) {
        end = text.indexOf('"', end);
        if (end === -1) throw new Error(`unterminated quoted field at ${i}`);
        if (text[end + 1] !== '"') break;
        end += 2;
      }
      field = text.slice(i + 1, end).replaceAll('""', '"');
      i = end + 1;
      continue;
    }
    if (char === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else {
      field += char;
      i++;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("the last record does not end with CRLF");
  return records;
}

/**
 * The rows an export should hold, read plainly (all at once, no pages) for tests to compare a
 * downloaded file with: checks by monitor, tick, region; incidents by id with their timelines.
 */
export async function expectedRows(db: Db, scope: ExportScope): Promise<Row[]> {
  const monitorFilter = scope.monitorIds.length ? { in: [...scope.monitorIds] } : undefined;
  if (scope.type === "checks") {
    const checks = await db.checkResult.findMany({
      where: {
        monitor: {
          organizationId: scope.organizationId,
          ...(monitorFilter ? { id: monitorFilter } : { deletedAt: null }),
        },
        tick: { gte: scope.from, lt: scope.to },
      },
      include: { monitor: { select: { id: true, name: true } } },
      orderBy: [{ monitor: { id: "asc" } }, { tick: "asc" }, { region: "asc" }],
    });
    return checks.map(({ monitor, ...check }) => presentCheck(check, monitor));
  }
  const incidents = await db.incident.findMany({
    where: {
      organizationId: scope.organizationId,
      ...(monitorFilter ? { monitorId: monitorFilter } : {}),
      startedAt: { lt: scope.to },
      OR: [{ resolvedAt: null }, { resolvedAt: { gte: scope.from } }],
    },
    include: { updates: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
    orderBy: { id: "asc" },
  });
  return incidents.map(presentIncident);
}

/** A downloaded file read back as rows: JSON values for JSON and NDJSON, strings per column for CSV. */
export function readExportFile(text: string, format: ExportFormatName, columns: readonly string[]): unknown[] {
  if (format === "json") return JSON.parse(text) as unknown[];
  if (format === "ndjson")
    return text === ""
      ? []
      : text
          .replace(/\n$/, "")
          .split("\n")
          .map((line) => JSON.parse(line));
  const [header, ...records] = parseCsv(text);
  if (JSON.stringify(header) !== JSON.stringify(columns)) throw new Error(`unexpected CSV header ${header}`);
  return records;
}

/** What rows look like once read back from `format`, for comparing with readExportFile. */
export function asRead(rows: readonly Row[], format: ExportFormatName, columns: readonly string[]): unknown[] {
  if (format !== "csv") return JSON.parse(JSON.stringify(rows)) as unknown[];
  return rows.map((row) => columns.map((column) => csvText(row[column])));
}
