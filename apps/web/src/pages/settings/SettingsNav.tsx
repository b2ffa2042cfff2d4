import { SectionNav } from "../../components/SectionNav.tsx";

const TABS = [
  { to: "/settings/keys", label: "API keys" },
  { to: "/settings/users", label: "Users and roles" },
];

/** The settings pages' tabs, under their "Settings" title. */
export function SettingsNav() {
  return <SectionNav label="Settings" tabs={TABS} />;
}
