import { createClient } from "@upfleet/sdk";
import type { Command } from "commander";
import { writeConfig } from "../config.ts";
import { type Context, data } from "../context.ts";
import { usageError } from "../exit-codes.ts";
import { fields } from "../output.ts";
import { ask, askSecret, readStdin } from "../prompt.ts";

interface LoginOptions {
  email?: string;
  passwordStdin?: boolean;
  apiKey?: string;
}

async function login(ctx: Context, options: LoginOptions, command: Command): Promise<void> {
  const apiUrl = await ctx.apiUrl(command);
  if (options.apiKey) {
    // Asking who the key is proves it works before it is stored.
    const account = await data(createClient({ baseUrl: apiUrl, apiKey: options.apiKey }).api.GET("/api/v1/account"));
    const file = await writeConfig(ctx.io.env, { api_url: apiUrl, api_key: options.apiKey });
    ctx.print(
      command,
      account,
      (a) => `Logged in to ${apiUrl} with API key "${a.api_key?.name}" (${a.user.email}); saved in ${file}`,
    );
    return;
  }
  if (options.passwordStdin && !options.email) throw usageError("--password-stdin needs --email");
  const email = options.email ?? (await ask(ctx.io, "Email: "));
  const password = options.passwordStdin ? await readStdin(ctx.io) : await askSecret(ctx.io, "Password: ");
  const session = await data(
    (await ctx.anonymousClient(command)).api.POST("/api/v1/auth/login", { body: { email, password } }),
  );
  const file = await saveSession(ctx, apiUrl, session);
  ctx.print(command, session, (s) => `Logged in to ${apiUrl} as ${email} until ${s.expires_at}; saved in ${file}`);
}

/** Stores a session token as `login` and `signup` get it; resolves to the config file's path. */
const saveSession = (ctx: Context, apiUrl: string, session: { token: string; expires_at: string }) =>
  writeConfig(ctx.io.env, { api_url: apiUrl, token: session.token, token_expires_at: session.expires_at });

interface SignupOptions {
  email?: string;
  organization?: string;
  passwordStdin?: boolean;
}

/** A new password, asked twice on a terminal: a typo in a hidden one would lock its owner out. */
async function newPassword(ctx: Context, options: SignupOptions): Promise<string> {
  if (options.passwordStdin) return readStdin(ctx.io);
  const password = await askSecret(ctx.io, "Password (10 or more characters): ");
  if ((await askSecret(ctx.io, "Password again: ")) !== password) throw usageError("the passwords differ");
  return password;
}

/** A new organization and its owner, logged in as `login` would be. */
async function signup(ctx: Context, options: SignupOptions, command: Command): Promise<void> {
  if (options.passwordStdin && !(options.email && options.organization)) {
    throw usageError("--password-stdin needs --email and --organization");
  }
  const apiUrl = await ctx.apiUrl(command);
  const email = options.email ?? (await ask(ctx.io, "Email: "));
  const organization_name = options.organization ?? (await ask(ctx.io, "Organization: "));
  const password = await newPassword(ctx, options);
  const result = await data(
    (await ctx.anonymousClient(command)).api.POST("/api/v1/auth/signup", {
      body: { email, password, organization_name },
    }),
  );
  const file = await saveSession(ctx, apiUrl, result);
  ctx.print(
    command,
    result,
    (r) =>
      `Signed up to ${apiUrl}: ${r.organization.name} (${r.organization.id}), owner ${r.user.email}; logged in until ${r.expires_at}; saved in ${file}`,
  );
}

/** Revokes a stored session token (an API key stays valid: `keys revoke` ends it) and forgets the credential. */
async function logout(ctx: Context, command: Command): Promise<void> {
  const config = await ctx.config();
  if (config.token) await (await ctx.client(command)).api.POST("/api/v1/auth/logout");
  await writeConfig(ctx.io.env, { api_url: config.api_url });
  ctx.print(command, { logged_out: true }, () => "Logged out");
}

async function whoami(ctx: Context, command: Command): Promise<void> {
  const account = await data((await ctx.client(command)).api.GET("/api/v1/account"));
  const apiUrl = await ctx.apiUrl(command);
  ctx.print(command, account, (a) =>
    fields([
      ["api", apiUrl],
      ["organization", `${a.organization.name} (${a.organization.id}, plan ${a.organization.plan})`],
      ["user", `${a.user.email} (${a.user.role})`],
      ["credential", a.api_key ? `API key "${a.api_key.name}" (${a.api_key.id})` : "session"],
      ["scopes", a.api_key?.scopes ?? "all of the role's"],
      ["rate limit", `${a.rate_limit.limit_per_minute}/min, ${a.rate_limit.limit_per_hour}/h`],
    ]),
  );
}

export function register(program: Command, ctx: Context): void {
  program
    .command("login")
    .description(
      "log in with email and password (a 12-hour session) or store an API key; saved in $XDG_CONFIG_HOME/upfleet/config.json (mode 0600)",
    )
    .option("--email <email>", "the account's email (asked when omitted)")
    .option("--password-stdin", "read the password from stdin instead of asking")
    .option("--api-key <key>", "store this API key (upf_…) instead of logging in")
    .action((options: LoginOptions, command: Command) => login(ctx, options, command));
  program
    .command("signup")
    .description(
      "create an organization and its owner, and log in as them (a deployment's first user may; later ones need OPEN_SIGNUP=true)",
    )
    .option("--email <email>", "your email (asked when omitted)")
    .option("--organization <name>", "the organization's name (asked when omitted)")
    .option("--password-stdin", "read the password from stdin instead of asking")
    .action((options: SignupOptions, command: Command) => signup(ctx, options, command));
  program
    .command("logout")
    .description("revoke the stored session and forget the stored credential")
    .action((_options, command: Command) => logout(ctx, command));
  program
    .command("whoami")
    .description("the organization, user and credential the CLI acts as (GET /account)")
    .action((_options, command: Command) => whoami(ctx, command));
}
