import { infiniteQueryOptions } from "@tanstack/react-query";
import { api } from "../../api/client.ts";
import type { MonitorFilters } from "./filters.ts";

/** The API's largest page: 10,000 monitors are 50 requests, made as the list is scrolled. */
const PAGE = 200;
/** The first page is a screenful and a little more, so the first rows come as soon as they can. */
const FIRST_PAGE = 50;

/** The monitors list's query: the page reads it, and its route's loader starts it (routes.tsx). */
export function monitorsQuery(filters: MonitorFilters) {
  return infiniteQueryOptions({
    queryKey: ["monitors", filters],
    queryFn: async ({ pageParam }) => {
      const { data } = await api().api.GET("/api/v1/monitors", {
        params: { query: { ...filters, limit: pageParam ? PAGE : FIRST_PAGE, cursor: pageParam } },
      });
      return data!;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}
