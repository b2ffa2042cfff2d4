import { test as shared } from "@upfleet/testing/fixtures";
import { addUser, signupOwner, type TestUser } from "./accounts.ts";
import { startTestApi, type TestApi, type TestResponse } from "./test-api.ts";

type Env = Record<string, string>;

interface ApiFixtures {
  /** The real API on the file's database and Redis prefix, started for its first test that needs it. */
  api: TestApi;
  /** A second instance of `api`, as a second replica would be: same settings, database and Redis prefix. */
  replica: TestApi;
  /** An organization signed up on `api`, and its owner. */
  owner: TestUser;
  /** Users the owner added to its organization, with those roles. */
  member: TestUser;
  viewer: TestUser;
  /** A second organization's owner, for the tenancy checks (needs `OPEN_SIGNUP: "true"`). */
  other: TestUser;
  /** Calls `path` under /api/heartbeat/ on `api` (GET unless `options.method` says otherwise). */
  ping: (path: string, options?: Parameters<TestApi["request"]>[2] & { method?: string }) => Promise<TestResponse>;
}

/**
 * The shared fixtures plus the file's API, started with `env` on top of `startTestApi`'s settings, and
 * its accounts, each set up on a file's first test that needs it. A file that needs settings makes its
 * own `test` with them: `env` lives in this closure, and every `extend` of the shared `test` is a chain
 * of its own (packages/testing `isolated`), so nothing a file does reaches another file's API.
 */
export function apiTest(env: Env = {}) {
  return shared.extend<ApiFixtures>({
    api: [
      async ({ database, redis }, use) => {
        const api = await startTestApi(env, { database, redis });
        await use(api);
        await api.close();
      },
      { scope: "file" },
    ],
    replica: [
      async ({ api }, use) => {
        const replica = await startTestApi(env, { database: api.database, redis: api.redis });
        await use(replica);
        await replica.close();
      },
      { scope: "file" },
    ],
    owner: [async ({ api }, use) => use(await signupOwner(api)), { scope: "file" }],
    member: [async ({ api, owner }, use) => use(await addUser(api, owner, "member")), { scope: "file" }],
    viewer: [async ({ api, owner }, use) => use(await addUser(api, owner, "viewer")), { scope: "file" }],
    other: [async ({ api }, use) => use(await signupOwner(api, "other")), { scope: "file" }],
    ping: async ({ api }, use) =>
      use((path, options = {}) => api.request(options.method ?? "GET", `/api/heartbeat/${path}`, options)),
  });
}

/** `apiTest()`: the API with `startTestApi`'s settings only. */
export const test = apiTest();
