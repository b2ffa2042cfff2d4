import { describe, expect, it } from "vitest";
import { fromLocalInput, newWindowValues, toLocalInput, windowBody } from "./window-form.ts";

describe("maintenance window form", () => {
  it("turns local input values into instants and back", () => {
    const iso = "2026-12-06T10:30:00.000Z";
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(toLocalInput(iso)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  });

  it("sends what does not parse as typed, so the API's message names it", () => {
    expect(fromLocalInput("soon")).toBe("soon");
    expect(fromLocalInput("")).toBe("");
  });

  it("builds the body, no repeat as null", () => {
    const values = {
      name: " Deploy ",
      starts_at: toLocalInput("2026-12-06T10:00:00.000Z"),
      ends_at: "",
      repeat: "",
      timezone: "UTC",
    };
    expect(windowBody(values, ["mon_1"])).toEqual({
      name: "Deploy",
      monitor_ids: ["mon_1"],
      starts_at: "2026-12-06T10:00:00.000Z",
      ends_at: "",
      repeat: null,
      timezone: "UTC",
    });
    expect(windowBody({ ...values, repeat: "weekly" }, []).repeat).toBe("weekly");
  });

  it("a new window starts at the next full hour and lasts an hour", () => {
    const values = newWindowValues(Date.parse("2026-12-06T10:20:00.000Z"));
    expect(fromLocalInput(values.starts_at)).toBe("2026-12-06T11:00:00.000Z");
    expect(fromLocalInput(values.ends_at)).toBe("2026-12-06T12:00:00.000Z");
  });
});
