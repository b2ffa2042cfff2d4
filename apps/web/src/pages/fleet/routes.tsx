import { lazy } from "react";
import type { RouteObject } from "react-router";

// Loaded when first visited: the monitors list stays the only page in the main bundle.
const FleetPage = lazy(() => import("./FleetPage.tsx").then((m) => ({ default: m.FleetPage })));

export const fleetRoutes: RouteObject[] = [{ path: "/fleet", element: <FleetPage /> }];
