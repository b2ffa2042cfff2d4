import type { components } from "@upfleet/sdk";
import { type Command, Option } from "commander";
import { type Context, data } from "../context.ts";
import { integer } from "../options.ts";
import { fields, table } from "../output.ts";

type Incident = components["schemas"]["Incident"];

interface ListOptions {
  monitor?: string;
  active?: boolean;
  resolved?: boolean;
  status?: Incident["status"];
  limit: number;
  cursor?: string;
}

const incidentFields = (incident: Incident) =>
  fields([
    ["id", incident.id],
    ["title", incident.title],
    ["status", incident.status],
    ["monitor", incident.monitor_id],
    ["started", incident.started_at],
    ["acknowledged", incident.acknowledged_at && `${incident.acknowledged_at} by ${incident.acknowledged_by}`],
    ["resolved", incident.resolved_at],
    ["cause", incident.cause],
    ...incident.updates.map((u): [string, unknown] => [`update ${u.created_at}`, `${u.status}: ${u.message ?? ""}`]),
  ]);

export function register(program: Command, ctx: Context): void {
  const incidents = program.command("incidents").description("incidents: list, acknowledge, resolve");
  incidents
    .command("list")
    .description("incidents, newest first (one page: --cursor reads the next)")
    .option("--monitor <id>", "only this monitor's")
    .addOption(new Option("--active", "only open ones").conflicts("resolved"))
    .option("--resolved", "only resolved ones")
    .addOption(
      new Option("--status <status>", "only this status").choices([
        "investigating",
        "identified",
        "monitoring",
        "resolved",
      ]),
    )
    .option("--limit <n>", "how many (1–200)", integer(1, 200), 50)
    .option("--cursor <cursor>", "the next page, as the previous one gave it")
    .action(async (options: ListOptions, command: Command) => {
      const client = await ctx.client(command);
      const active = options.active ? ("true" as const) : options.resolved ? ("false" as const) : undefined;
      const query = {
        monitor_id: options.monitor,
        active,
        status: options.status,
        limit: options.limit,
        cursor: options.cursor,
      };
      const page = await data(client.api.GET("/api/v1/incidents", { params: { query } }));
      ctx.printPage(command, page, (list) =>
        table(list, [
          ["id", (i) => i.id],
          ["status", (i) => i.status],
          ["started", (i) => i.started_at],
          ["acked", (i) => i.acknowledged_at],
          ["resolved", (i) => i.resolved_at],
          ["monitor", (i) => i.monitor_id],
          ["title", (i) => i.title],
        ]),
      );
    });
  incidents
    .command("ack <id>")
    .description("acknowledge an incident: escalation stops paging")
    .action(async (id: string, _options, command: Command) => {
      const client = await ctx.client(command);
      const incident = await data(client.api.POST("/api/v1/incidents/{id}/acknowledge", { params: { path: { id } } }));
      ctx.print(command, incident, incidentFields);
    });
  incidents
    .command("resolve <id>")
    .description("resolve an incident (resolving a resolved one exits 1: a conflict)")
    .option("-m, --message <text>", "what was done, as the resolving update")
    .action(async (id: string, options: { message?: string }, command: Command) => {
      const client = await ctx.client(command);
      const incident = await data(
        client.api.POST("/api/v1/incidents/{id}/resolve", {
          params: { path: { id } },
          body: { message: options.message },
        }),
      );
      ctx.print(command, incident, incidentFields);
    });
}
