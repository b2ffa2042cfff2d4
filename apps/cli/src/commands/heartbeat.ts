import { type Command, Option } from "commander";
import type { Context } from "../context.ts";
import { integer } from "../options.ts";
import { heartbeatPinger, type PingKind } from "../ping.ts";
import { readStdin } from "../prompt.ts";

interface PingOptions {
  start?: boolean;
  fail?: boolean;
  exitCode?: number;
  rid?: string;
  body?: string;
  bodyStdin?: boolean;
}

export function register(program: Command, ctx: Context): void {
  const heartbeat = program.command("heartbeat").description("heartbeat (cron job) pings; see also `upfleet run`");
  heartbeat
    .command("ping <token>")
    .description(
      "report a run of a heartbeat monitor: success unless --start, --fail or --exit-code says otherwise (the monitor's token or its heartbeat_url; needs no login)",
    )
    .addOption(new Option("--start", "the run started (its finish then measures it)").conflicts(["fail", "exitCode"]))
    .addOption(new Option("--fail", "the run failed").conflicts("exitCode"))
    .option("--exit-code <code>", "the run's exit code: 0 is a success, anything else a failure", integer(0, 255))
    .option("--rid <id>", "run id pairing a --start with its finish (up to 64 characters)")
    .addOption(new Option("--body <text>", "text stored with the ping (e.g. the job's output)").conflicts("bodyStdin"))
    .option("--body-stdin", "read the text stored with the ping from stdin")
    .action(async (token: string, options: PingOptions, command: Command) => {
      const send = heartbeatPinger(token, await ctx.apiUrl(command));
      const kind: PingKind = options.start ? "start" : options.fail ? "fail" : (options.exitCode ?? "success");
      const body = options.bodyStdin ? await readStdin(ctx.io) : options.body;
      const reply = await send(kind, { rid: options.rid, body });
      ctx.print(command, reply, () => "ok");
    });
}
