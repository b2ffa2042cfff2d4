import { describe, expect, it } from "vitest";
import { pageBody, pageSections, stateLabel } from "./page-form.ts";

describe("status page form", () => {
  const sections = [{ name: " API ", monitorIds: ["mon_1"] }];

  it("creates with the given fields only, sections as the API names them", () => {
    expect(pageBody({ name: "Acme", slug: " acme ", description: "", custom_domain: "" }, sections, false)).toEqual({
      name: "Acme",
      slug: "acme",
      published: false,
      sections: [{ name: "API", monitor_ids: ["mon_1"] }],
    });
  });

  it("clears an emptied description or domain when editing", () => {
    expect(
      pageBody({ name: "Acme", slug: "acme", published: "on", description: "Ours", custom_domain: "" }, [], true),
    ).toEqual({ name: "Acme", slug: "acme", published: true, sections: [], description: "Ours", custom_domain: null });
  });

  it("starts a new page with one empty section and reads a stored one's", () => {
    expect(pageSections(undefined)).toEqual([{ name: "Services", monitorIds: [] }]);
  });

  it("names states in words", () => {
    expect(stateLabel("partial_outage")).toBe("Partial outage");
    expect(stateLabel("operational")).toBe("Operational");
  });
});
