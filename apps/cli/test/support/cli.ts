import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { PASSWORD, type TestUser } from "@upfleet/api/test/support/accounts.ts";
import { apiTest } from "@upfleet/api/test/support/fixtures.ts";
import { main } from "../../src/program.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed, for `--json` runs. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  json: any;
}

/** Runs `upfleet <argv>` in this process against `env`, with `stdin` as its input, capturing what it prints. */
async function runCli(argv: string[], env: Record<string, string>, stdin = ""): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdin: Readable.from(stdin ? [stdin] : []),
    stdout: { write: (chunk) => (stdout += chunk.toString()) },
    stderr: { write: (chunk) => (stderr += chunk.toString()) },
    env,
  });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

export interface Cli {
  /** The CLI's config folder ($XDG_CONFIG_HOME) and environment for this test. */
  env: Record<string, string>;
  run(argv: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** `upfleet login` as `user`, failing the test if it does not work. */
  login(user: TestUser): Promise<void>;
}

/**
 * The API's fixtures (its settings `apiEnv` on top) plus `cli`: the CLI pointed at the file's API, with a
 * config folder of the test's own.
 */
export const cliTest = (apiEnv: Record<string, string> = {}) =>
  apiTest({
    // A file's tests run as one owner, well past a person's 60 requests a minute; rate-limit.test.ts checks the limit.
    RATE_LIMIT_PER_MINUTE: "100000",
    RATE_LIMIT_PER_HOUR: "1000000",
    ...apiEnv,
  }).extend<{ cli: Cli }>({
    cli: async ({ api }, use) => {
      const dir = await mkdtemp(path.join(tmpdir(), "upfleet-cli-"));
      const env = { XDG_CONFIG_HOME: dir, UPFLEET_API_URL: api.url };
      const run: Cli["run"] = (argv, options = {}) => runCli(argv, { ...env, ...options.env }, options.stdin);
      const login = async (user: TestUser) => {
        const result = await run(["login", "--email", user.email, "--password-stdin"], { stdin: PASSWORD });
        if (result.code !== 0) throw new Error(`login failed (${result.code}): ${result.stderr}`);
      };
      await use({ env, run, login });
      await rm(dir, { recursive: true, force: true });
    },
  });

/** `cliTest()`: the API with the tests' settings only. */
export const test = cliTest();
