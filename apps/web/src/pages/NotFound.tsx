import { Link, Navigate } from "react-router";

/** An unknown URL inside the app; with `redirect`, the section a bare /app opens on. */
export function NotFound({ redirect }: { redirect?: string }) {
  if (redirect) return <Navigate to={redirect} replace />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        Nothing lives at this address. <Link to="/monitors">Back to the monitors</Link>
      </p>
    </section>
  );
}
