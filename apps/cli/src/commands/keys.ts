import type { components } from "@upfleet/sdk";
import type { Command } from "commander";
import { all, type Context } from "../context.ts";
import { repeatable } from "../options.ts";
import { fields, table } from "../output.ts";

type ApiKey = components["schemas"]["ApiKey"];
type Scope = ApiKey["scopes"][number];

interface CreateOptions {
  name: string;
  scope?: Scope[];
  expiresAt?: string;
}

export function register(program: Command, ctx: Context): void {
  const keys = program.command("keys").description("API keys for scripts and CI");
  keys
    .command("list")
    .description("your API keys (never their secret)")
    .action(async (_options, command: Command) => {
      const client = await ctx.client(command);
      const list = await all(client.keys.list());
      ctx.print(command, list, (rows) =>
        table(rows, [
          ["id", (k) => k.id],
          ["name", (k) => k.name],
          ["prefix", (k) => k.prefix],
          ["scopes", (k) => k.scopes],
          ["expires", (k) => k.expires_at],
          ["last used", (k) => k.last_used_at],
        ]),
      );
    });
  keys
    .command("create")
    .description("make an API key; its secret is printed this once")
    .requiredOption("--name <name>", "what the key is for")
    .option("--scope <scope>", "a scope it gets (repeat; default: every scope)", repeatable)
    .option("--expires-at <instant>", "ISO-8601 instant, at most a year ahead (default: a year)")
    .action(async (options: CreateOptions, command: Command) => {
      const client = await ctx.client(command);
      const created = await client.keys.create({
        name: options.name,
        scopes: options.scope,
        expires_at: options.expiresAt,
      });
      ctx.print(command, created, ({ key, raw_key }) =>
        fields([
          ["id", key.id],
          ["name", key.name],
          ["scopes", key.scopes],
          ["expires", key.expires_at],
          ["key", raw_key],
        ]),
      );
      ctx.note("The key is shown this once: store it now (e.g. as UPFLEET_API_KEY).");
    });
  keys
    .command("revoke <id>")
    .description("revoke an API key at once, on every API instance")
    .action(async (id: string, _options, command: Command) => {
      await (await ctx.client(command)).keys.delete(id);
      ctx.print(command, { id, revoked: true }, () => `Revoked ${id}`);
    });
}
