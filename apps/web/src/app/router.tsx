import { createBrowserRouter } from "react-router";
import { alertingRoutes } from "../pages/alerting/routes.tsx";
import { SignIn } from "../pages/auth/SignIn.tsx";
import { SignUp } from "../pages/auth/SignUp.tsx";
import { fleetRoutes } from "../pages/fleet/routes.tsx";
import { incidentRoutes } from "../pages/incidents/routes.tsx";
import { maintenanceRoutes } from "../pages/maintenance/routes.tsx";
import { monitorRoutes } from "../pages/monitors/routes.tsx";
import { NotFound } from "../pages/NotFound.tsx";
import { settingsRoutes } from "../pages/settings/routes.tsx";
import { statusPageRoutes } from "../pages/status-pages/routes.tsx";
import { RequireSession } from "./guards.tsx";
import { Layout } from "./Layout.tsx";

/**
 * Every page is a URL under /app (the API serves index.html for each). A section's routes live in
 * its folder (pages/<section>/routes.tsx) and are listed here; heavy pages load lazily there.
 */
export const router = createBrowserRouter(
  [
    { path: "/sign-in", element: <SignIn /> },
    { path: "/sign-up", element: <SignUp /> },
    {
      element: (
        <RequireSession>
          <Layout />
        </RequireSession>
      ),
      children: [
        { index: true, element: <NotFound redirect="/monitors" /> },
        ...monitorRoutes,
        ...incidentRoutes,
        ...alertingRoutes,
        ...statusPageRoutes,
        ...maintenanceRoutes,
        ...fleetRoutes,
        ...settingsRoutes,
        { path: "*", element: <NotFound /> },
      ],
    },
  ],
  { basename: "/app" },
);
