import { lazy } from "react";
import type { RouteObject } from "react-router";
import "../../components/sections.css";

// Loaded when first visited: the monitors list stays the only page in the main bundle.
const MaintenancePage = lazy(() => import("./MaintenancePage.tsx").then((m) => ({ default: m.MaintenancePage })));
const MaintenanceFormPage = lazy(() =>
  import("./MaintenanceFormPage.tsx").then((m) => ({ default: m.MaintenanceFormPage })),
);

export const maintenanceRoutes: RouteObject[] = [
  { path: "/maintenance", element: <MaintenancePage /> },
  { path: "/maintenance/new", element: <MaintenanceFormPage /> },
  { path: "/maintenance/:id/edit", element: <MaintenanceFormPage /> },
];
