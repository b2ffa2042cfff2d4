import { describe, expect, it } from "vitest";
import { CreatePageBody, hostnameProblem, PatchPageBody } from "./schemas.ts";

const issues = (
  schema: { safeParse(v: unknown): { error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  v: unknown,
) => (schema.safeParse(v).error?.issues ?? []).map((issue) => ({ path: issue.path.join("."), message: issue.message }));

const base = { name: "Acme", slug: "acme", sections: [{ name: "API", monitor_ids: ["mon_a"] }] };

describe("CreatePageBody", () => {
  it("defaults to an unpublished page without domain or description, and drops repeated monitors", () => {
    expect(
      CreatePageBody.parse({ ...base, name: " Acme ", sections: [{ name: "API", monitor_ids: ["mon_a", "mon_a"] }] }),
    ).toEqual({ ...base, key: null, custom_domain: null, description: null, published: false });
  });

  it("takes slugs of a-z, 0-9 and - from 3 to 60 characters, and says why others are refused", () => {
    for (const slug of ["abc", "acme-status-2", "a".repeat(60)])
      expect(issues(CreatePageBody, { ...base, slug })).toEqual([]);
    expect(issues(CreatePageBody, { ...base, slug: "Acme" })).toEqual([
      { path: "slug", message: "must be lower case (a-z, 0-9 and -)" },
    ]);
    expect(issues(CreatePageBody, { ...base, slug: "ac me" })).toEqual([
      { path: "slug", message: "may contain only a-z, 0-9 and -" },
    ]);
    expect(issues(CreatePageBody, { ...base, slug: "ab" })[0]?.message).toBe("must be at least 3 characters");
    expect(issues(CreatePageBody, { ...base, slug: "a".repeat(61) })[0]?.message).toBe("must be at most 60 characters");
  });

  it("lower-cases a custom domain and refuses anything but a bare hostname", () => {
    expect(CreatePageBody.parse({ ...base, custom_domain: "Status.Example.COM" }).custom_domain).toBe(
      "status.example.com",
    );
    const refused = {
      "https://status.example.com": "must be a bare hostname (no scheme, port or path)",
      "status.example.com:8080": "must be a bare hostname (no scheme, port or path)",
      "status.example.com/x": "must be a bare hostname (no scheme, port or path)",
      "::1": "must be a bare hostname (no scheme, port or path)",
      "10.0.0.1": "must be a hostname, not an IP address",
      "1.2.3.999": "must be a hostname, not an IP address",
      localhost: "must be a hostname such as status.example.com",
      "-bad.example.com": "must be a hostname such as status.example.com",
      "a..example.com": "must be a hostname such as status.example.com",
    };
    for (const [domain, message] of Object.entries(refused)) {
      expect(issues(CreatePageBody, { ...base, custom_domain: domain }), domain).toEqual([
        { path: "custom_domain", message },
      ]);
    }
    expect(hostnameProblem("status.example.com")).toBeNull();
  });

  it("needs 1–20 sections of 1–100 monitors, and names every problem", () => {
    const section = (n: number) => ({ name: "S", monitor_ids: Array.from({ length: n }, (_, i) => `mon_${i}`) });
    expect(issues(CreatePageBody, { ...base, sections: [] })).toEqual([
      { path: "sections", message: "must have at least one section" },
    ]);
    expect(issues(CreatePageBody, { ...base, sections: Array(21).fill(section(1)) })).toEqual([
      { path: "sections", message: "must have at most 20 sections" },
    ]);
    expect(issues(CreatePageBody, { ...base, sections: [section(0), section(101)] }).map((i) => i.path)).toEqual([
      "sections.0.monitor_ids",
      "sections.1.monitor_ids",
    ]);
    expect(issues(CreatePageBody, { ...base, sections: [{ name: "", monitor_ids: ["mon_a"], x: 1 }] })).toHaveLength(2);
  });

  it("refuses unknown fields, read-only ones included", () => {
    expect(issues(CreatePageBody, { ...base, id: "stp_x", colour: "red" }).map((i) => i.path)).toEqual([""]);
    expect(PatchPageBody.safeParse({ published: true }).success).toBe(true);
    expect(PatchPageBody.safeParse({ created_at: "x" }).success).toBe(false);
  });
});
