import { SectionNav } from "../../components/SectionNav.tsx";

const TABS = [
  { to: "/settings/keys", label: "API keys" },
  { to: "/settings/users", label: "Users and roles" },
];

/** The settings pages' heading and tabs. */
export function SettingsHeader() {
  return (
    <>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <SectionNav label="Settings" tabs={TABS} />
    </>
  );
}
