/** The sections in the header, in order; a page of its own folder under pages/ adds its entry here. */
export const NAV: { to: string; label: string }[] = [
  { to: "/monitors", label: "Monitors" },
  { to: "/incidents", label: "Incidents" },
  { to: "/alerting", label: "Alerting" },
  { to: "/status-pages", label: "Status pages" },
  { to: "/maintenance", label: "Maintenance" },
  { to: "/fleet", label: "Fleet" },
  { to: "/settings", label: "Settings" },
];
