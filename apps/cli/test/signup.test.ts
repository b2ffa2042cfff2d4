import { PASSWORD } from "@upfleet/api/test/support/accounts.ts";
import { expect } from "vitest";
import { test } from "./support/cli.ts";

// The file's API has no user before this test: a deployment's first sign-up is open.
test("signup makes an organization and logs in as its owner; a second one needs OPEN_SIGNUP (exit 4)", async ({
  cli,
}) => {
  const signup = (email: string, ...flags: string[]) =>
    cli.run(["signup", "--email", email, "--organization", "Acme", "--password-stdin", ...flags], {
      stdin: `${PASSWORD}\n`,
    });
  const first = await signup("first@example.com");
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(
    /^Signed up to http:\/\/\S+: Acme \(org_\w+\), owner first@example.com; logged in until /,
  );
  const whoami = await cli.run(["whoami", "--json"]);
  expect(whoami.json).toMatchObject({
    user: { email: "first@example.com", role: "owner" },
    organization: { name: "Acme" },
  });

  const second = await signup("second@example.com", "--json");
  expect(second.code).toBe(4);
  expect(JSON.parse(second.stderr)).toMatchObject({ status: 403 });
  expect((await cli.run(["signup", "--email", "x@example.com", "--password-stdin"])).code).toBe(2);
});
