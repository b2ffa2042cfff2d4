import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { aclRules, aclSetUser, BULLMQ_SCRIPT_COMMANDS, deploymentRoles } from "./acl.ts";

/** Every command the installed BullMQ's Lua scripts call by name, and those they pick at run time. */
async function scriptCommands(): Promise<Set<string>> {
  const dir = join(dirname(createRequire(import.meta.url).resolve("bullmq")), "commands");
  const files = [
    ...(await readdir(dir)).map((f) => join(dir, f)),
    ...(await readdir(join(dir, "includes"))).map((f) => join(dir, "includes", f)),
  ].filter((f) => f.endsWith(".lua"));
  const commands = new Set<string>();
  for (const file of files) {
    const lua = await readFile(file, "utf8");
    // rcall("ZADD", …), redis.call('GET', …), and names handed to a call through a variable
    // (pushCmd "LPUSH"/"RPUSH", paginate's "HSCAN"/"SSCAN").
    for (const [, name] of lua.matchAll(/(?:rcall|redis\.p?call)\(\s*["']([A-Za-z]+)["']/g))
      commands.add(name!.toLowerCase());
    for (const [, name] of lua.matchAll(/["'](LPUSH|RPUSH|HSCAN|SSCAN|ZSCAN|LLEN|SCARD|ZCARD)["']/g))
      commands.add(name!.toLowerCase());
    const dynamic = lua.match(/rcall\(\s*([a-zA-Z]+)\s*,/g) ?? [];
    for (const call of dynamic) expect(call, file).toMatch(/rcall\(\s*(command|countCommand|pushCmd)\s*,/);
  }
  return commands;
}

describe("Redis ACL rules", () => {
  it("grant every command BullMQ's scripts call", async () => {
    const needed = [...(await scriptCommands())].sort();
    expect(needed.length).toBeGreaterThan(30);
    expect(needed.filter((command) => !(BULLMQ_SCRIPT_COMMANDS as readonly string[]).includes(command))).toEqual([]);
  });

  it("give a worker its region's queue, the fleet registry and XADD to its region's results stream, and nothing else", () => {
    const rules = aclRules("upf", { role: "worker", region: "eu" });
    const [root, selector] = rules.split(/ (?=\()/);
    expect(root!.split(" ").filter((r) => r.startsWith("~") || r.startsWith("&") || r.startsWith("%"))).toEqual([
      "~upf:bull:checks-eu:*",
      "~upf:fleet:*",
    ]);
    expect(root).toContain("resetchannels");
    expect(rules).not.toContain("results:*");
    expect(rules.split(" ").some((r) => r.startsWith("+@"))).toBe(false);
    // Write-only, one key, one command: no XREAD/XRANGE/XDEL/XTRIM on it, no other region's stream.
    expect(selector).toBe("(%W~upf:results:eu +xadd)");
  });

  it("keep a hash-tagged prefix in the key patterns and out of the user names", () => {
    expect(aclSetUser("{upf}", { role: "worker", region: "eu" }, "s3cret-password-123")).toMatch(
      /^ACL SETUSER upf-worker-eu reset on #[0-9a-f]{64} ~\{upf\}:bull:checks-eu:\* /,
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
