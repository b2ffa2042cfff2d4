import { type Command, Option } from "commander";
import { stringify } from "yaml";
import { execute, planJson, renderPlan } from "../as-code/execute.ts";
import { type FileItem, readUpfleetFile } from "../as-code/file.ts";
import { giveKeys } from "../as-code/give-keys.ts";
import { KINDS, toFile } from "../as-code/kinds.ts";
import { plan, readState, rest, type Step } from "../as-code/plan.ts";
import type { Context } from "../context.ts";

/** `upfleet diff`'s exit code when the organization differs from the file (0 when it matches). */
export const EXIT_CHANGES = 10;

interface PlanOptions {
  file: string;
  prune?: boolean;
  dryRun?: boolean;
}

const FILE_HELP = "the YAML or JSON file (- for stdin); its JSON Schema is apps/cli/schema/upfleet.schema.json";
const PRUNE_HELP = "also delete resources that have a key the file does not list (never those without a key)";

/** Reads the file and the organization, and works out what would change. */
async function planFor(ctx: Context, command: Command, options: PlanOptions) {
  const file = await readUpfleetFile(ctx.io, options.file);
  const api = rest(await ctx.client(command));
  const state = await readState(api);
  return { api, state, steps: plan(file, state, options.prune ?? false) };
}

const printPlan = (ctx: Context, command: Command, steps: Step[]) =>
  ctx.print(command, planJson(steps), () => renderPlan(steps));

export function register(program: Command, ctx: Context): void {
  program
    .command("diff")
    .description("show what `apply` would create, change (field by field) and delete")
    .requiredOption("-f, --file <file>", FILE_HELP)
    .option("--prune", PRUNE_HELP)
    .addHelpText("after", `\nExits 0 when the organization matches the file, ${EXIT_CHANGES} when there are changes.`)
    .action(async (options: PlanOptions, command: Command) => {
      const { steps } = await planFor(ctx, command, options);
      printPlan(ctx, command, steps);
      if (steps.length) ctx.exitCode = EXIT_CHANGES;
    });

  program
    .command("apply")
    .description("make the organization's keyed resources what the file says (a second apply changes nothing)")
    .requiredOption("-f, --file <file>", FILE_HELP)
    .option("--prune", PRUNE_HELP)
    .option("--dry-run", "print the plan and change nothing")
    .action(async (options: PlanOptions, command: Command) => {
      const { api, state, steps } = await planFor(ctx, command, options);
      printPlan(ctx, command, steps);
      if (options.dryRun || steps.length === 0) return;
      await execute(api, state, steps);
      ctx.note(`Applied ${steps.length} change${steps.length === 1 ? "" : "s"}.`);
    });

  program
    .command("export")
    .description("print the organization's keyed resources as a file `apply` accepts")
    .addOption(new Option("--format <format>", "yaml or json").choices(["yaml", "json"]).default("yaml"))
    .option(
      "--all",
      "first give each resource without a key one made from its name (this writes them), so all are in the file",
    )
    .action(async (options: { format: "yaml" | "json"; all?: boolean }, command: Command) => {
      const api = rest(await ctx.client(command));
      const state = await readState(api);
      if (options.all) ctx.note(`Gave a key to ${await giveKeys(api, state)} resource(s).`);
      let unkeyed = 0;
      const file: Record<string, FileItem[]> = {};
      for (const kind of KINDS) {
        const items = state.items.get(kind.section) ?? [];
        unkeyed += items.filter((obj) => obj.key === null).length;
        const keyed = items.filter((obj) => obj.key !== null).reverse(); // oldest first, as they were made
        if (keyed.length) file[kind.section] = keyed.map((obj) => toFile(kind, obj, state.refs));
      }
      ctx.io.stdout.write(options.format === "json" ? `${JSON.stringify(file, null, 2)}\n` : stringify(file));
      if (unkeyed) {
        ctx.note(
          `${unkeyed} resource(s) without a key left out: give them one (export --all, or PATCH key) to manage them here.`,
        );
      }
    });
}
