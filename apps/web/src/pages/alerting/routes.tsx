import { lazy } from "react";
import type { RouteObject } from "react-router";
import "../../components/sections.css";
import { NotFound } from "../NotFound.tsx";

// Loaded when first visited: the monitors list stays the only page in the main bundle.
const ChannelsPage = lazy(() => import("./ChannelsPage.tsx").then((m) => ({ default: m.ChannelsPage })));
const ChannelFormPage = lazy(() => import("./ChannelFormPage.tsx").then((m) => ({ default: m.ChannelFormPage })));
const RulesPage = lazy(() => import("./RulesPage.tsx").then((m) => ({ default: m.RulesPage })));
const RuleFormPage = lazy(() => import("./RuleFormPage.tsx").then((m) => ({ default: m.RuleFormPage })));
const PoliciesPage = lazy(() => import("./PoliciesPage.tsx").then((m) => ({ default: m.PoliciesPage })));
const PolicyFormPage = lazy(() => import("./PolicyFormPage.tsx").then((m) => ({ default: m.PolicyFormPage })));
const DeliveriesPage = lazy(() => import("./DeliveriesPage.tsx").then((m) => ({ default: m.DeliveriesPage })));

export const alertingRoutes: RouteObject[] = [
  { path: "/alerting", element: <NotFound redirect="/alerting/channels" /> },
  { path: "/alerting/channels", element: <ChannelsPage /> },
  { path: "/alerting/channels/new", element: <ChannelFormPage /> },
  { path: "/alerting/channels/:id/edit", element: <ChannelFormPage /> },
  { path: "/alerting/rules", element: <RulesPage /> },
  { path: "/alerting/rules/new", element: <RuleFormPage /> },
  { path: "/alerting/rules/:id/edit", element: <RuleFormPage /> },
  { path: "/alerting/policies", element: <PoliciesPage /> },
  { path: "/alerting/policies/new", element: <PolicyFormPage /> },
  { path: "/alerting/policies/:id/edit", element: <PolicyFormPage /> },
  { path: "/alerting/deliveries", element: <DeliveriesPage /> },
];
