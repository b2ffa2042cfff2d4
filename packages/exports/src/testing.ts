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
