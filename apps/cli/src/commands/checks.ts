import type { components } from "@upfleet/sdk";
import { type Command, Option } from "commander";
import { type Context, data } from "../context.ts";
import { integer } from "../options.ts";
import { table } from "../output.ts";

type Check = components["schemas"]["CheckResult"];

interface ChecksOptions {
  limit: number;
  status?: Check["status"];
  region?: string;
  since?: string;
  until?: string;
  cursor?: string;
}

export function register(program: Command, ctx: Context): void {
  program
    .command("checks <monitor>")
    .description("a monitor's recent check results, newest first (one page: --cursor reads the next)")
    .option("--limit <n>", "how many (1–200)", integer(1, 200), 20)
    .addOption(new Option("--status <status>", "only up, degraded or down").choices(["up", "degraded", "down"]))
    .option("--region <region>", "only from this region")
    .option("--since <instant>", "ISO-8601: not before")
    .option("--until <instant>", "ISO-8601: before")
    .option("--cursor <cursor>", "the next page, as the previous one gave it")
    .action(async (monitor: string, options: ChecksOptions, command: Command) => {
      const client = await ctx.client(command);
      const page = await data(
        client.api.GET("/api/v1/monitors/{id}/checks", { params: { path: { id: monitor }, query: options } }),
      );
      ctx.printPage(command, page, (checks) =>
        table(checks, [
          ["time", (c) => c.timestamp],
          ["region", (c) => c.region],
          ["status", (c) => c.status],
          ["ms", (c) => c.response_ms],
          ["http", (c) => c.http_status],
          ["error", (c) => (c.error ? `${c.error}: ${c.message ?? ""}`.trim() : null)],
        ]),
      );
    });
}
