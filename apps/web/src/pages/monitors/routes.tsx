import { lazy } from "react";
import type { RouteObject } from "react-router";
import { MonitorsPage } from "./MonitorsPage.tsx";

// The list is the first page most people open: it stays in the main bundle; the detail page (with
// its chart library) and the form load when first visited.
const MonitorPage = lazy(() => import("./MonitorPage.tsx").then((m) => ({ default: m.MonitorPage })));
const MonitorFormPage = lazy(() => import("./MonitorFormPage.tsx").then((m) => ({ default: m.MonitorFormPage })));

export const monitorRoutes: RouteObject[] = [
  { path: "/monitors", element: <MonitorsPage /> },
  { path: "/monitors/new", element: <MonitorFormPage /> },
  { path: "/monitors/:id", element: <MonitorPage /> },
  { path: "/monitors/:id/edit", element: <MonitorFormPage /> },
];
