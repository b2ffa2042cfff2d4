import { lazy } from "react";
import type { RouteObject } from "react-router";
import "../../components/sections.css";

// Loaded when first visited: the monitors list stays the only page in the main bundle.
const StatusPagesPage = lazy(() => import("./StatusPagesPage.tsx").then((m) => ({ default: m.StatusPagesPage })));
const StatusPageFormPage = lazy(() =>
  import("./StatusPageFormPage.tsx").then((m) => ({ default: m.StatusPageFormPage })),
);
const PreviewPage = lazy(() => import("./PreviewPage.tsx").then((m) => ({ default: m.PreviewPage })));

export const statusPageRoutes: RouteObject[] = [
  { path: "/status-pages", element: <StatusPagesPage /> },
  { path: "/status-pages/new", element: <StatusPageFormPage /> },
  { path: "/status-pages/:id/edit", element: <StatusPageFormPage /> },
  { path: "/status-pages/:id/preview", element: <PreviewPage /> },
];
