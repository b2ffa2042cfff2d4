import type { components, UpfleetClient } from "@upfleet/sdk";
import { type Command, Option } from "commander";
import { all, type Context } from "../context.ts";
import { usageError } from "../exit-codes.ts";
import { bodyWithFlags, integer, repeatable } from "../options.ts";
import { fields, table } from "../output.ts";
import { addDelete } from "./delete.ts";

type Monitor = components["schemas"]["Monitor"];
type CreateBody = Parameters<UpfleetClient["monitors"]["create"]>[0];

const TYPES = ["http", "tcp", "dns", "ping", "ssl", "heartbeat", "api"] as const;
const STATUSES = ["pending", "up", "degraded", "down", "paused"] as const;

/** What a monitor watches, in one cell. */
function target(monitor: Monitor): string {
  switch (monitor.type) {
    case "http":
      return monitor.url;
    case "ssl":
      return monitor.url ?? `${monitor.host}:${monitor.port ?? 443}`;
    case "tcp":
      return `${monitor.host}:${monitor.tcp_port}`;
    case "dns":
      return `${monitor.host} ${monitor.dns_record_type ?? "A"}`;
    case "ping":
      return monitor.host;
    case "heartbeat":
      return monitor.heartbeat_url;
    case "api":
      return `${monitor.api_check_steps.length} steps`;
  }
}

function schedule(monitor: Monitor): string {
  if (monitor.type === "heartbeat" && monitor.heartbeat_schedule) return monitor.heartbeat_schedule;
  return monitor.interval_seconds === null ? "-" : `${monitor.interval_seconds}s`;
}

const listTable = (monitors: Monitor[]) =>
  table(monitors, [
    ["id", (m) => m.id],
    ["name", (m) => m.name],
    ["type", (m) => m.type],
    ["status", (m) => m.status],
    ["every", schedule],
    ["last check", (m) => m.last_checked_at],
    ["target", target],
  ]);

/** Every field the API returned, one a line. */
const monitorFields = (monitor: Monitor) => fields(Object.entries(monitor));

interface CreateOptions {
  file?: string;
  type?: string;
  name?: string;
  url?: string;
  host?: string;
  port?: number;
  interval?: number;
  timeout?: number;
  region?: string[];
  tag?: string[];
  method?: string;
  expectedStatus?: string;
  keyword?: string;
  recordType?: string;
  expectedValue?: string;
  schedule?: string;
  timezone?: string;
  grace?: number;
}

/** The body `--file` holds, with the flags given on top of it (flags win). */
async function createBody(ctx: Context, options: CreateOptions): Promise<CreateBody> {
  const body = await bodyWithFlags(ctx.io, options.file, {
    type: options.type,
    name: options.name,
    url: options.url,
    host: options.host,
    interval_seconds: options.interval,
    timeout_ms: options.timeout,
    regions: options.region,
    tags: options.tag,
    http_method: options.method,
    http_expected_status: options.expectedStatus,
    http_keyword: options.keyword,
    dns_record_type: options.recordType,
    dns_expected_value: options.expectedValue,
    heartbeat_schedule: options.schedule,
    heartbeat_timezone: options.timezone,
    heartbeat_grace_minutes: options.grace,
  });
  // One flag for both: a tcp monitor's port is `tcp_port`, an ssl monitor's is `port`.
  if (options.port !== undefined) body[body.type === "tcp" ? "tcp_port" : "port"] = options.port;
  if (body.type === undefined || body.name === undefined)
    throw usageError("a monitor needs --type and --name (or a --file with them)");
  return body as CreateBody;
}

/** The commands that act on one monitor and answer with it; `done` is what people read after a change. */
const ONE_MONITOR = [
  ["get", "one monitor, every field", null],
  ["pause", "stop checking (heartbeats: stop alerting)", "Paused"],
  ["resume", "check again", "Resumed"],
] as const;

export function register(program: Command, ctx: Context): void {
  const monitors = program.command("monitors").description("HTTP, TCP, DNS, ping, TLS, heartbeat and API monitors");
  monitors
    .command("list")
    .description("every monitor (all pages), newest first")
    .addOption(new Option("--type <type>", "only this type").choices(TYPES))
    .addOption(new Option("--status <status>", "only this status").choices(STATUSES))
    .option("--tag <tag>", "only monitors with this tag")
    .action(async (options: { type?: Monitor["type"]; status?: Monitor["status"]; tag?: string }, command: Command) => {
      const list = await all((await ctx.client(command)).monitors.list({ limit: 200, ...options }));
      ctx.print(command, list, listTable);
    });
  for (const [verb, description, done] of ONE_MONITOR) {
    monitors
      .command(`${verb} <id>`)
      .description(description)
      .action(async (id: string, _options, command: Command) => {
        const monitor = await (await ctx.client(command)).monitors[verb](id);
        ctx.print(command, monitor, (m) => (done ? `${done} ${m.id} (${m.name}): ${m.status}` : monitorFields(m)));
      });
  }
  monitors
    .command("create")
    .description("create a monitor from flags for the common types, or any body from --file (flags override it)")
    .option("-f, --file <path>", "a JSON body as POST /monitors takes it (`-`: stdin)")
    .addOption(new Option("--type <type>", "monitor type").choices(TYPES))
    .option("--name <name>", "a name")
    .option("--url <url>", "http, ssl: the URL")
    .option("--host <host>", "tcp, dns, ping, ssl: the host")
    .option("--port <port>", "tcp (required), ssl: the port", integer(1, 65535))
    .option("--interval <seconds>", "seconds between checks; heartbeat: the expected period", integer(1, 86_400))
    .option("--timeout <ms>", "check timeout in milliseconds", integer(1, 600_000))
    .option("--region <region>", "a region to check from (repeat; default: all)", repeatable)
    .option("--tag <tag>", "a tag (repeat)", repeatable)
    .option("--method <method>", "http: the method (default GET)")
    .option("--expected-status <statuses>", 'http: e.g. "200-299" (default) or "200,301"')
    .option("--keyword <text>", "http: text the body must contain")
    .option("--record-type <type>", "dns: A, AAAA, MX, TXT, CNAME or NS")
    .option("--expected-value <value>", "dns: a record that must be there")
    .option("--schedule <cron>", "heartbeat: the cron schedule the job runs on (instead of --interval)")
    .option("--timezone <zone>", "heartbeat: the schedule's IANA time zone (default UTC)")
    .option("--grace <minutes>", "heartbeat: minutes a ping may be late", integer(0, 10_080))
    .action(async (options: CreateOptions, command: Command) => {
      const client = await ctx.client(command);
      const monitor = await client.monitors.create(await createBody(ctx, options));
      ctx.print(command, monitor, monitorFields);
    });
  addDelete(monitors, ctx, "delete a monitor: its checks stop, its history is kept", (client, id) =>
    client.monitors.delete(id),
  );
}
