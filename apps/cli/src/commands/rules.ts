import type { components, operations } from "@upfleet/sdk";
import type { Command } from "commander";
import { all, type Context, data } from "../context.ts";
import { usageError } from "../exit-codes.ts";
import { bodyWithFlags, repeatable } from "../options.ts";
import { fields, table } from "../output.ts";
import { addDelete } from "./delete.ts";

type Rule = components["schemas"]["NotificationRule"];
type CreateBody = operations["rules.create"]["requestBody"]["content"]["application/json"];

/** A rule's filter in one cell: null matches everything. */
const filter = (values: string[] | null, all: string) => values ?? all;

/** The table's columns, and the lines of one rule. */
const COLUMNS: [heading: string, cell: (rule: Rule) => unknown][] = [
  ["id", (r) => r.id],
  ["name", (r) => r.name],
  ["events", (r) => filter(r.events, "all")],
  ["monitors", (r) => filter(r.monitor_ids, "all")],
  ["tags", (r) => filter(r.tags, "any")],
  ["channels", (r) => r.channel_ids],
  ["escalation", (r) => r.escalation_policy_id],
];

interface CreateOptions {
  file?: string;
  name?: string;
  event?: string[];
  monitor?: string[];
  tag?: string[];
  channel?: string[];
  escalationPolicy?: string;
}

async function createBody(ctx: Context, options: CreateOptions): Promise<CreateBody> {
  const body = await bodyWithFlags(ctx.io, options.file, {
    name: options.name,
    events: options.event,
    monitor_ids: options.monitor,
    tags: options.tag,
    channel_ids: options.channel,
    escalation_policy_id: options.escalationPolicy,
  });
  if (body.name === undefined) throw usageError("a rule needs --name (or a --file with one)");
  return body as CreateBody;
}

export function register(program: Command, ctx: Context): void {
  const rules = program
    .command("rules")
    .description("which events of which monitors go to which channels, or start an escalation policy");
  rules
    .command("list")
    .description("every rule (all pages), newest first")
    .action(async (_options, command: Command) => {
      const client = await ctx.client(command);
      const list = await all(client.rules.list({ limit: 200 }));
      ctx.print(command, list, (rows) => table(rows, COLUMNS));
    });
  rules
    .command("create")
    .description(
      "create a rule from flags, or any body from --file (flags override it); every filter left out matches all",
    )
    .option("-f, --file <path>", "a JSON body as POST /notifications/rules takes it (`-`: stdin)")
    .option("--name <name>", "a name")
    .option("--event <event>", "an event it matches, e.g. monitor.down (repeat; default: every event)", repeatable)
    .option("--monitor <id>", "a monitor it matches (repeat; default: every monitor)", repeatable)
    .option("--tag <tag>", "matches monitors with this tag (repeat: any of them)", repeatable)
    .option("--channel <id>", "a channel to notify (repeat)", repeatable)
    .option("--escalation-policy <id>", "an escalation policy to start for the incidents it matches")
    .action(async (options: CreateOptions, command: Command) => {
      const client = await ctx.client(command);
      const created = await data(
        client.api.POST("/api/v1/notifications/rules", { body: await createBody(ctx, options) }),
      );
      ctx.print(command, created, (rule) => fields(COLUMNS.map(([heading, cell]) => [heading, cell(rule)])));
    });
  addDelete(rules, ctx, "delete a rule: its events are no longer sent", (client, id) =>
    client.api.DELETE("/api/v1/notifications/rules/{id}", { params: { path: { id } } }),
  );
}
