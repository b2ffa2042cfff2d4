import type { components, operations } from "@upfleet/sdk";
import { type Command, Option } from "commander";
import { MASK } from "../as-code/plan.ts";
import { all, type Context, data } from "../context.ts";
import { usageError } from "../exit-codes.ts";
import { bodyWithFlags, repeatable } from "../options.ts";
import { fields, table } from "../output.ts";
import { addDelete } from "./delete.ts";

type Channel = components["schemas"]["NotificationChannel"];
type CreateBody = operations["channels.create"]["requestBody"]["content"]["application/json"];
type Delivery = components["schemas"]["NotificationDelivery"];

/** `upfleet channels test`'s exit code when the test delivery failed (the receiver refused it, or none answered). */
export const EXIT_TEST_FAILED = 11;

const TYPES = ["webhook", "slack", "discord", "email"] as const;

/** Where a channel sends, in one cell: URLs read back masked past their host. */
function target(channel: Channel): string {
  const config = channel.config;
  if ("to" in config) return config.to.join(", ");
  return "url" in config ? config.url : config.webhook_url;
}

const channelFields = (channel: Channel) => fields(Object.entries(channel));

interface CreateOptions {
  file?: string;
  type?: Channel["type"];
  name?: string;
  url?: string;
  secret?: string;
  to?: string[];
  disabled?: boolean;
}

/** The config each type takes, from the flags: a webhook's `url` and `secret`, Slack's and Discord's `webhook_url`, email's `to`. */
function configFlags(options: CreateOptions): Record<string, unknown> | undefined {
  const config =
    options.type === "email"
      ? { to: options.to }
      : options.type === "webhook"
        ? { url: options.url, secret: options.secret }
        : { webhook_url: options.url };
  const given = Object.entries(config).filter(([, value]) => value !== undefined);
  return given.length ? Object.fromEntries(given) : undefined;
}

async function createBody(ctx: Context, options: CreateOptions): Promise<CreateBody> {
  const body = await bodyWithFlags(ctx.io, options.file, {
    type: options.type,
    name: options.name,
    enabled: options.disabled ? false : undefined,
    config: configFlags(options),
  });
  if (body.type === undefined || body.name === undefined)
    throw usageError("a channel needs --type and --name (or a --file with them)");
  return body as CreateBody;
}

/** How a test send went, in one line. */
function deliveryLine(delivery: Delivery): string {
  const answer = [
    delivery.response_status === null ? null : `HTTP ${delivery.response_status}`,
    delivery.duration_ms === null ? null : `${delivery.duration_ms} ms`,
  ].filter(Boolean);
  const how = answer.length ? ` (${answer.join(", ")})` : "";
  return `Test to ${delivery.channel_id}: ${delivery.status}${how}${delivery.error ? `: ${delivery.error}` : ""}`;
}

export function register(program: Command, ctx: Context): void {
  const channels = program.command("channels").description("where notifications go: webhook, Slack, Discord, email");
  channels
    .command("list")
    .description("every channel (all pages), newest first; credentials read back masked")
    .action(async (_options, command: Command) => {
      const client = await ctx.client(command);
      const list = await all(client.channels.list({ limit: 200 }));
      ctx.print(command, list, (rows) =>
        table(rows, [
          ["id", (c) => c.id],
          ["name", (c) => c.name],
          ["type", (c) => c.type],
          ["enabled", (c) => (c.enabled ? "yes" : `no${c.disabled_reason ? ` (${c.disabled_reason})` : ""}`)],
          ["target", target],
        ]),
      );
    });
  channels
    .command("create")
    .description("create a channel from flags, or any body from --file (flags override it)")
    .option("-f, --file <path>", "a JSON body as POST /notifications/channels takes it (`-`: stdin)")
    .addOption(new Option("--type <type>", "channel type").choices(TYPES))
    .option("--name <name>", "a name")
    .option("--url <url>", "webhook: the URL to POST to; slack, discord: the incoming-webhook URL")
    .option("--secret <secret>", "webhook: the signing secret (default: one is generated and shown once)")
    .option("--to <email>", "email: a recipient (repeat)", repeatable)
    .option("--disabled", "create it disabled: nothing is sent until it is enabled")
    .action(async (options: CreateOptions, command: Command) => {
      const client = await ctx.client(command);
      const created = await data(
        client.api.POST("/api/v1/notifications/channels", { body: await createBody(ctx, options) }),
      );
      ctx.print(command, created, channelFields);
      // Only the response that generated a secret shows it whole.
      const config = created.config;
      if ("secret" in config && !config.secret.includes(MASK)) {
        ctx.note("The generated secret is shown this once: receivers verify deliveries with it.");
      }
    });
  channels
    .command("test <id>")
    .description("send a test event now and say how the delivery went")
    .addHelpText("after", `\nExits 0 when the receiver took it, ${EXIT_TEST_FAILED} when the delivery failed.`)
    .action(async (id: string, _options, command: Command) => {
      const client = await ctx.client(command);
      const delivery = await data(
        client.api.POST("/api/v1/notifications/channels/{id}/test", { params: { path: { id } } }),
      );
      ctx.print(command, delivery, deliveryLine);
      if (delivery.status !== "succeeded") ctx.exitCode = EXIT_TEST_FAILED;
    });
  addDelete(
    channels,
    ctx,
    "delete a channel that no rule or escalation policy uses (else exit 1: a conflict)",
    (client, id) => client.api.DELETE("/api/v1/notifications/channels/{id}", { params: { path: { id } } }),
  );
}
