import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useSession } from "../api/client.ts";

/** Pages behind sign-in: without a session, to /sign-in, coming back to where the user was going. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return children;
}
