import { readFile } from "node:fs/promises";
import { InvalidArgumentError } from "commander";
import type { Io } from "./context.ts";
import { usageError } from "./exit-codes.ts";
import { readStdin } from "./prompt.ts";

/** For an option given more than once (`--tag a --tag b`): every value, in order. */
export const repeatable = (value: string, previous: string[] = []) => [...previous, value];

/** A whole number within bounds; anything else is a usage error (exit 2) naming the option. */
export function integer(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return number;
  };
}

/** A JSON object from a file, or from stdin for `-`. */
async function readJsonFile(io: Io, file: string): Promise<Record<string, unknown>> {
  const text = file === "-" ? await readStdin(io) : await readFile(file, "utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw usageError(`${file} must hold one JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * A create body: the JSON object `file` holds (when given), with every flag that was set on top of it
 * (flags win). The API validates the result and names every problem; the CLI does not repeat its rules.
 */
export async function bodyWithFlags(
  io: Io,
  file: string | undefined,
  flags: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const body = file ? await readJsonFile(io, file) : {};
  for (const [field, value] of Object.entries(flags)) if (value !== undefined) body[field] = value;
  return body;
}
