import { SectionNav } from "../../components/SectionNav.tsx";

const TABS = [
  { to: "/alerting/channels", label: "Channels" },
  { to: "/alerting/rules", label: "Rules" },
  { to: "/alerting/policies", label: "Escalation policies" },
  { to: "/alerting/deliveries", label: "Deliveries" },
];

/** The alerting section's pages, each a URL of its own. */
export function AlertingNav() {
  return <SectionNav label="Alerting" tabs={TABS} />;
}
