import { UpfleetError } from "@upfleet/sdk";
import { Command, CommanderError } from "commander";
// The bundle carries it (esbuild inlines JSON): `upfleet --version` needs no file beside it.
import manifest from "../package.json" with { type: "json" };
import { GROUPS } from "./commands/index.ts";
import { Context, type Io } from "./context.ts";
import { describeError, EXIT_CODES_HELP, exitCodeFor } from "./exit-codes.ts";

/** The whole command tree, writing through `ctx`; commander's exits become thrown CommanderErrors. */
function buildProgram(ctx: Context): Command {
  const program = new Command("upfleet")
    .description(
      "Upfleet from the command line: monitors, checks, incidents, alerting, API keys and cron job heartbeats.",
    )
    .version(manifest.version, "-V, --version", "print the CLI's version")
    .option("--json", "print the API's objects as JSON, for scripts")
    .option(
      "--api-url <url>",
      "the Upfleet deployment (default: $UPFLEET_API_URL, the one `login` stored, http://localhost:3000)",
    )
    .addHelpText("after", EXIT_CODES_HELP)
    .showHelpAfterError("(run with --help for usage)")
    // Set before any subcommand is added: subcommands copy these settings when created.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    });
  for (const group of GROUPS) group.register(program, ctx);
  return program;
}

/** The API's `error`, `message`, `details` and `request_id`, or what else went wrong, on stderr. */
function report(ctx: Context, error: unknown, json: boolean): void {
  if (error instanceof CommanderError) return; // commander has printed it already
  if (error instanceof UpfleetError) {
    const { status, error: code, message, details, requestId } = error;
    if (json) {
      ctx.note(JSON.stringify({ status, error: code, message, details, request_id: requestId ?? null }));
      return;
    }
    ctx.note(`error: ${message} (${status} ${code})`);
    for (const detail of details) ctx.note(`  ${detail.path || "(body)"}: ${detail.message}`);
    if (requestId) ctx.note(`request_id: ${requestId}`);
    return;
  }
  ctx.note(`error: ${describeError(error)}`);
}

/** Runs `upfleet <argv>` and resolves to its exit code; never exits the process itself. */
export async function main(argv: string[], io: Io): Promise<number> {
  const ctx = new Context(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    report(ctx, error, argv.includes("--json"));
    return exitCodeFor(error);
  }
}
