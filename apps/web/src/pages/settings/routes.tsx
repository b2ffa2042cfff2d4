import { lazy } from "react";
import type { RouteObject } from "react-router";
import "../../components/sections.css";
import { NotFound } from "../NotFound.tsx";

// Loaded when first visited: the monitors list stays the only page in the main bundle.
const KeysPage = lazy(() => import("./KeysPage.tsx").then((m) => ({ default: m.KeysPage })));
const UsersPage = lazy(() => import("./UsersPage.tsx").then((m) => ({ default: m.UsersPage })));

export const settingsRoutes: RouteObject[] = [
  { path: "/settings", element: <NotFound redirect="/settings/keys" /> },
  { path: "/settings/keys", element: <KeysPage /> },
  { path: "/settings/users", element: <UsersPage /> },
];
