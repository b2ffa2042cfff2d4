import { useQueryClient } from "@tanstack/react-query";
import { Suspense } from "react";
import { NavLink, Outlet, useNavigate } from "react-router";
import { api, useSession } from "../api/client.ts";
import { setSession } from "../api/session.ts";
import { NAV } from "./nav.ts";
import { useTheme } from "./theme.ts";

/** The signed-in frame: skip link, header with the sections, theme toggle and sign-out, then the page. */
export function Layout() {
  const session = useSession();
  const [theme, toggleTheme] = useTheme();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const signOut = async () => {
    // The token is revoked server-side too, so a copy of it is useless from now on.
    await api()
      .api.POST("/api/v1/auth/logout")
      .catch(() => undefined);
    setSession(null);
    queries.clear();
    navigate("/sign-in");
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <NavLink to="/monitors" className="brand">
          Upfleet
        </NavLink>
        <nav aria-label="Sections">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-actions">
          <button
            type="button"
            className="ghost"
            onClick={toggleTheme}
            aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}
          >
            {theme === "dark" ? "☀" : "☾"}
          </button>
          <span className="muted who">{session?.email}</span>
          <button type="button" className="ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
