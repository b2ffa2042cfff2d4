/** The status page form's logic: its body from the form (and back), and the public states in words. */
import type { components } from "../../api/client.ts";

type StatusPage = components["schemas"]["StatusPage"];
type FormValues = Record<string, string | undefined>;

export interface SectionDraft {
  name: string;
  monitorIds: string[];
}

/**
 * The create or patch body. An empty description or custom domain is null (cleared) when editing and
 * left out when creating; the slug is sent as typed for the API to judge.
 */
export function pageBody(values: FormValues, sections: SectionDraft[], editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: values.name?.trim() ?? "",
    slug: values.slug?.trim() ?? "",
    published: values.published === "on",
    sections: sections.map((section) => ({ name: section.name.trim(), monitor_ids: section.monitorIds })),
  };
  for (const field of ["description", "custom_domain"] as const) {
    const text = values[field]?.trim() ?? "";
    if (text) body[field] = text;
    else if (editing) body[field] = null;
  }
  return body;
}

export function pageSections(page: StatusPage | undefined): SectionDraft[] {
  return (
    page?.sections.map((s) => ({ name: s.name, monitorIds: s.monitor_ids })) ?? [{ name: "Services", monitorIds: [] }]
  );
}

/** "partial_outage" → "Partial outage". */
export function stateLabel(state: string): string {
  const words = state.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
