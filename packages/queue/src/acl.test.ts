import { describe, expect, it } from "vitest";
import { aclRules, aclSetUser, deploymentRoles } from "./acl.ts";

describe("Redis ACL rules", () => {
  it("give a worker the fleet registry, its region's checks streams as a consumer and XADD to its results stream, and nothing else", () => {
    const rules = aclRules("upf", { role: "worker", region: "eu" });
    const [root, checks, results] = rules.split(/ (?=\()/);
    expect(root!.split(" ").filter((r) => r.startsWith("~") || r.startsWith("&") || r.startsWith("%"))).toEqual([
      "~upf:fleet:*",
    ]);
    expect(root).toContain("resetchannels");
    expect(rules).not.toMatch(/bull|results:\*|checks:\*|\+eval|\+xadd\b.*checks/);
    expect(rules.split(" ").some((r) => r.startsWith("+@"))).toBe(false);
    // Its two keys (ping checks have their own), the consumer group's commands: no XADD (it cannot queue checks), XRANGE or XTRIM.
    expect(checks).toBe(
      "(~upf:checks:eu ~upf:checks:eu:icmp +xreadgroup +xack +xdel +xautoclaim +xpending +xgroup|create +xinfo|groups)",
    );
    // Write-only, one key, one command: no XREAD/XRANGE/XDEL/XTRIM on it, no other region's stream.
    expect(results).toBe("(%W~upf:results:eu +xadd)");
  });

  it("keep a hash-tagged prefix in the key patterns and out of the user names", () => {
    expect(aclSetUser("{upf}", { role: "worker", region: "eu" }, "s3cret-password-123")).toMatch(
      /^ACL SETUSER upf-worker-eu reset on #[0-9a-f]{64} ~\{upf\}:fleet:\* .* \(~\{upf\}:checks:eu /,
    );
  });

  it("keep the scheduler lease from the API and the alerter's channels empty", () => {
    expect(aclRules("upf", { role: "api" })).not.toMatch(/~upf:\*|~upf:lock/);
    expect(aclRules("upf", { role: "alerter" })).toContain("resetchannels");
  });

  it("print one ACL SETUSER per role, with a password hash and never the password", () => {
    const lines = deploymentRoles(["eu", "us-east"]).map((who) => aclSetUser("upf", who, "s3cret-password-123"));
    expect(lines.map((l) => l.split(" ").slice(0, 5).join(" "))).toEqual([
      "ACL SETUSER upf-api reset on",
      "ACL SETUSER upf-alerter reset on",
      "ACL SETUSER upf-worker-eu reset on",
      "ACL SETUSER upf-worker-us-east reset on",
    ]);
    for (const line of lines) {
      expect(line).toMatch(/ #[0-9a-f]{64} /);
      expect(line).not.toContain("s3cret");
    }
  });
});
