/** One page of any list: `{ data, next_cursor }`, the shape every list of the API answers with. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Every item of a list, fetching the next page only when the caller has read the previous one. */
export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}
