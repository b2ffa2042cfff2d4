import type { UpfleetClient } from "@upfleet/sdk";
import type { Command } from "commander";
import type { Context } from "../context.ts";

/** `<group> delete <id>`, as every group has it: `Deleted <id>` for people, `{id, deleted: true}` with --json. */
export function addDelete(
  group: Command,
  ctx: Context,
  description: string,
  remove: (client: UpfleetClient, id: string) => Promise<unknown>,
): void {
  group
    .command("delete <id>")
    .description(description)
    .action(async (id: string, _options, command: Command) => {
      await remove(await ctx.client(command), id);
      ctx.print(command, { id, deleted: true }, () => `Deleted ${id}`);
    });
}
