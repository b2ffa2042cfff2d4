/**
 * Keyset pagination on time-sortable ids (newest first): the cursor is the last id of a page,
 * base64url-encoded so clients treat it as opaque.
 */
export interface PageRequest {
  cursor?: string | undefined;
  limit: number;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

/** Returns the id inside a cursor, or null when the cursor is not one of ours. */
export function decodeCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  return /^[a-z]{3}_[0-9a-z]{26}$/.test(id) ? id : null;
}

/** Prisma arguments for one page: one row more than asked, to know whether another page follows. */
export function pageQuery(page: PageRequest) {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  return {
    where: after ? { id: { lt: after } } : {},
    orderBy: { id: "desc" as const },
    take: page.limit + 1,
  };
}

export function toPage<Row extends { id: string }, T>(
  rows: Row[],
  page: PageRequest,
  present: (row: Row) => T,
): Page<T> {
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  return { data: shown.map(present), next_cursor: more && last ? encodeCursor(last.id) : null };
}
