import { type QueryKey, useInfiniteQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import type { live } from "./live.ts";

/** One page of any API list. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * A list the API pages with cursors, fetched a page at a time as the user asks for more (a scroll
 * near the end of a VirtualTable, or a "Load more" button). With `refetchInterval: live()` (live.ts)
 * it refetches the loaded pages while the tab is visible.
 */
export function usePagedList<T>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  refetchInterval: ReturnType<typeof live> | false = false,
) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval,
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const more = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { query, rows: query.data?.pages.flatMap((page) => page.data) ?? [], more, hasMore: hasNextPage };
}
