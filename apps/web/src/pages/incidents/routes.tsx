import { lazy } from "react";
import type { RouteObject } from "react-router";
import "../../components/sections.css";

// Loaded when first visited: the monitors list stays the only page in the main bundle.
const IncidentsPage = lazy(() => import("./IncidentsPage.tsx").then((m) => ({ default: m.IncidentsPage })));
const DeclareIncidentPage = lazy(() =>
  import("./DeclareIncidentPage.tsx").then((m) => ({ default: m.DeclareIncidentPage })),
);
const IncidentPage = lazy(() => import("./IncidentPage.tsx").then((m) => ({ default: m.IncidentPage })));

export const incidentRoutes: RouteObject[] = [
  { path: "/incidents", element: <IncidentsPage /> },
  { path: "/incidents/new", element: <DeclareIncidentPage /> },
  { path: "/incidents/:id", element: <IncidentPage /> },
];
