import type { Command } from "commander";
import type { Context } from "../context.ts";
import * as asCode from "./as-code.ts";
import * as auth from "./auth.ts";
import * as channels from "./channels.ts";
import * as checks from "./checks.ts";
import * as heartbeat from "./heartbeat.ts";
import * as incidents from "./incidents.ts";
import * as keys from "./keys.ts";
import * as monitors from "./monitors.ts";
import * as rules from "./rules.ts";
import * as run from "./run.ts";

/** A command group: one file under commands/ that adds its commands to the program. */
export interface CommandGroup {
  register(program: Command, ctx: Context): void;
}

/** Every group, in the order `upfleet --help` lists them. A new group is a file here and a line in this list. */
export const GROUPS: CommandGroup[] = [
  auth,
  keys,
  monitors,
  checks,
  incidents,
  channels,
  rules,
  heartbeat,
  run,
  asCode,
];
