import { expect } from "vitest";
import { test } from "./support/cli.ts";

test("keys create prints the raw key once; list shows it without; revoke ends it (exit 4 after)", async ({
  cli,
  owner,
}) => {
  await cli.login(owner);
  const created = await cli.run(["keys", "create", "--name", "deploys", "--scope", "monitors:read", "--json"]);
  expect(created.code).toBe(0);
  expect(created.json).toMatchObject({
    key: { name: "deploys", scopes: ["monitors:read"] },
    raw_key: expect.stringMatching(/^upf_/),
  });
  const human = await cli.run(["keys", "create", "--name", "second"]);
  expect(human.stdout).toMatch(/^key\s+upf_\S+$/m);
  expect(human.stderr).toContain("shown this once");

  const listed = await cli.run(["keys", "list"]);
  expect(listed.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+PREFIX\s+SCOPES\s+EXPIRES\s+LAST USED$/);
  expect(listed.stdout).toContain(created.json.key.prefix);
  expect(listed.stdout).not.toContain(created.json.raw_key);

  expect((await cli.run(["keys", "revoke", created.json.key.id])).code).toBe(0);
  expect((await cli.run(["whoami"], { env: { UPFLEET_API_KEY: created.json.raw_key } })).code).toBe(4);
  expect((await cli.run(["keys", "revoke", created.json.key.id])).code).toBe(3);
});
