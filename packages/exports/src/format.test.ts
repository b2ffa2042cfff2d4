import { describe, expect, it } from "vitest";
import { createFormatter, csvField, type ExportFormatName, type Row } from "./format.ts";
import { parseCsv } from "./testing.ts";

const COLUMNS = ["id", "text", "count", "details"] as const;
const ROWS: Row[] = [
  { id: "a", text: "plain", count: 1, details: {} },
  { id: "b", text: "comma, inside", count: null, details: { nested: { list: [1, "x"] } } },
  { id: "c", text: 'say "hi"', count: 0, details: { quote: '"' } },
  { id: "d", text: "two\nlines\r\nand CRLF", count: -3, details: null },
  { id: "e", text: "ünïcödé ✓ and emoji 🚀", count: 2.5, details: { text: "a,b\nc" } },
  { id: "f", text: "", count: 0, details: [] },
];

function write(format: ExportFormatName, rows: readonly Row[]): string {
  const formatter = createFormatter(format, COLUMNS);
  return formatter.start() + rows.map((row) => formatter.row(row)).join("") + formatter.end();
}

describe("csvField", () => {
  it("quotes only what RFC 4180 requires, doubling quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField(null)).toBe("");
    expect(csvField(42)).toBe("42");
    expect(csvField({ a: "x,y" })).toBe('"{""a"":""x,y""}"');
  });
});

describe("CSV formula injection (OWASP)", () => {
  it("prefixes text cells a spreadsheet would run as a formula with a quote", () => {
    expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""click"")"',
    );
    expect(csvField("+1+2")).toBe("'+1+2");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
  });

  it("leaves numbers, JSON and text that merely contains those characters alone", () => {
    expect(csvField(-3)).toBe("-3");
    expect(csvField(-2.5)).toBe("-2.5");
    expect(csvField({ formula: "=1" })).toBe('"{""formula"":""=1""}"');
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("x@example.com")).toBe("x@example.com");
    expect(csvField("")).toBe("");
  });

  it("reads back as the text with its quote, one field per cell", () => {
    const text = write("csv", [{ id: "=cmd|' /C calc'!A0", text: "@x, y", count: -1, details: null }]);
    expect(parseCsv(text)[1]).toEqual(["'=cmd|' /C calc'!A0", "'@x, y", "-1", ""]);
  });
});

describe("CSV", () => {
  it("has a header, CRLF line ends, and reads back field for field", () => {
    const text = write("csv", ROWS);
    expect(text.startsWith("id,text,count,details\r\n")).toBe(true);
    const [header, ...records] = parseCsv(text);
    expect(header).toEqual([...COLUMNS]);
    expect(records).toEqual(
      ROWS.map((row) => [
        row.id,
        row.text,
        row.count === null ? "" : String(row.count),
        row.details === null ? "" : JSON.stringify(row.details),
      ]),
    );
  });

  it("is the header alone when there are no rows", () => {
    expect(write("csv", [])).toBe("id,text,count,details\r\n");
  });
});

describe("JSON and NDJSON", () => {
  it("JSON is one array that parses back to the rows", () => {
    expect(JSON.parse(write("json", ROWS))).toEqual(ROWS);
    expect(JSON.parse(write("json", []))).toEqual([]);
    expect(JSON.parse(write("json", ROWS.slice(0, 1)))).toEqual(ROWS.slice(0, 1));
  });

  it("NDJSON is one object per line, each line parsing back to its row", () => {
    const text = write("ndjson", ROWS);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(ROWS);
    expect(write("ndjson", [])).toBe("");
  });
});
