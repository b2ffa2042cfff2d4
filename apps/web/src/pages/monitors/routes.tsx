import { lazy } from "react";
import type { LoaderFunctionArgs, RouteObject } from "react-router";
import { getSession } from "../../api/session.ts";
import { queryClient } from "../../app/query.ts";
import { readFilters } from "./filters.ts";
import { monitorsQuery } from "./list-query.ts";
import { MonitorsPage } from "./MonitorsPage.tsx";

// The list is the first page most people open: it stays in the main bundle; the detail page (with
// its chart library) and the form load when first visited.
const MonitorPage = lazy(() => import("./MonitorPage.tsx").then((m) => ({ default: m.MonitorPage })));
const MonitorFormPage = lazy(() => import("./MonitorFormPage.tsx").then((m) => ({ default: m.MonitorFormPage })));

/**
 * Asks for the list's first page as soon as the route matches, while React has yet to render the
 * page (which shows "Loading…" meanwhile: nothing waits for it), so the request and the first render
 * overlap (the first rows at 10,000 monitors, BENCHMARKS.md).
 */
function startList({ request }: LoaderFunctionArgs): null {
  if (getSession())
    void queryClient.prefetchInfiniteQuery(monitorsQuery(readFilters(new URL(request.url).searchParams)));
  return null;
}

export const monitorRoutes: RouteObject[] = [
  { path: "/monitors", element: <MonitorsPage />, loader: startList },
  { path: "/monitors/new", element: <MonitorFormPage /> },
  { path: "/monitors/:id", element: <MonitorPage /> },
  { path: "/monitors/:id/edit", element: <MonitorFormPage /> },
];
