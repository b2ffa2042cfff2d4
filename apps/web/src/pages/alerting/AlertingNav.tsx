import { NavLink } from "react-router";

const TABS = [
  { to: "/alerting/channels", label: "Channels" },
  { to: "/alerting/rules", label: "Rules" },
  { to: "/alerting/policies", label: "Escalation policies" },
  { to: "/alerting/deliveries", label: "Deliveries" },
];

/** The alerting section's pages, each a URL of its own. */
export function AlertingNav() {
  return (
    <nav aria-label="Alerting" className="subnav">
      <ul>
        {TABS.map((tab) => (
          <li key={tab.to}>
            <NavLink to={tab.to}>{tab.label}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
