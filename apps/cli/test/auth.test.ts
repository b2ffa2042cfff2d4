import { stat } from "node:fs/promises";
import path from "node:path";
import { PASSWORD } from "@upfleet/api/test/support/accounts.ts";
import { expect } from "vitest";
import { test } from "./support/cli.ts";

test("login stores a session in a file only its owner reads; whoami uses it; logout revokes it", async ({
  cli,
  owner,
}) => {
  const login = await cli.run(["login", "--email", owner.email, "--password-stdin"], { stdin: `${PASSWORD}\n` });
  expect(login).toMatchObject({ code: 0, stderr: "" });
  expect(login.stdout).toContain(`as ${owner.email}`);
  const file = path.join(cli.env.XDG_CONFIG_HOME!, "upfleet", "config.json");
  expect((await stat(file)).mode & 0o777).toBe(0o600);

  const whoami = await cli.run(["whoami"]);
  expect(whoami.code).toBe(0);
  expect(whoami.stdout).toMatch(/^user\s+owner-\w+@example.com \(owner\)$/m);
  const json = await cli.run(["whoami", "--json"]);
  expect(json.json).toMatchObject({ user: { email: owner.email, role: "owner" }, api_key: null });

  expect((await cli.run(["logout"])).code).toBe(0);
  const after = await cli.run(["whoami"]);
  expect(after).toMatchObject({ code: 4, stdout: "" });
  expect(after.stderr).toContain("not logged in");
});

test("a wrong password exits 4 with the API's error and request id; a missing email exits 2", async ({
  cli,
  owner,
}) => {
  const wrong = await cli.run(["login", "--email", owner.email, "--password-stdin"], { stdin: "not the password" });
  expect(wrong.code).toBe(4);
  expect(wrong.stderr).toMatch(/^error: .+ \(401 unauthorized\)$/m);
  expect(wrong.stderr).toMatch(/^request_id: req_\w+$/m);

  expect((await cli.run(["login", "--password-stdin"], { stdin: PASSWORD })).code).toBe(2);
  expect((await cli.run(["login", "--bogus"])).code).toBe(2);
});

test("UPFLEET_API_KEY overrides the stored credential, and login --api-key stores a key", async ({
  cli,
  owner,
  api,
}) => {
  const created = await api.request("POST", "/api/v1/keys", {
    auth: owner.token,
    body: { name: "ci", scopes: ["monitors:read"] },
  });
  const key: string = created.body.raw_key;
  const viaEnv = await cli.run(["whoami", "--json"], { env: { UPFLEET_API_KEY: key } });
  expect(viaEnv.json.api_key).toMatchObject({ name: "ci", scopes: ["monitors:read"] });

  expect((await cli.run(["login", "--api-key", key])).code).toBe(0);
  expect((await cli.run(["whoami", "--json"])).json.api_key.name).toBe("ci");
  expect((await cli.run(["login", "--api-key", "upf_nope"])).code).toBe(4);
});
