import { parseArgs } from "node:util";

export interface BenchArgs<N extends string, F extends string, L extends string = never> {
  /** An integer option, or stops with the help text when it is not one ≥ min. */
  int(name: N, fallback: number, min: number): number;
  /** A comma-separated list of integers ≥ min (undefined when not given), or stops with the help text. */
  ints(name: L, min: number): number[] | undefined;
  given(name: N): boolean;
  flag(name: F): boolean;
  /** False with --no-write: BENCHMARKS.md is left alone. */
  write: boolean;
}

/**
 * A bench's command line: integer options `numbers`, boolean `flags`, integer lists `lists`, plus --no-write and --help
 * (which prints `help` and exits). Unknown options stop the run with the parser's message.
 */
export function benchArgs<N extends string, F extends string = never, L extends string = never>(
  help: string,
  numbers: readonly N[],
  flags: readonly F[] = [],
  lists: readonly L[] = [],
): BenchArgs<N, F, L> {
  const options: Record<string, { type: "string" } | { type: "boolean"; default: boolean }> = {
    "no-write": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  };
  for (const name of [...numbers, ...lists]) options[name] = { type: "string" };
  for (const name of flags) options[name] = { type: "boolean", default: false };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ options }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${help}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(help);
    process.exit(0);
  }
  return {
    int: (name, fallback, min) => intArg(help, name, values[name] as string | undefined, fallback, min),
    ints: (name, min) => {
      const value = values[name] as string | undefined;
      return value?.split(",").map((item) => intArg(help, name, item.trim(), Number.NaN, min));
    },
    given: (name) => values[name] !== undefined,
    flag: (name) => values[name] === true,
    write: !values["no-write"],
  };
}

/** Reads an integer option, or stops with the help text. */
function intArg(help: string, name: string, value: string | undefined, fallback: number, min: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min} (got ${value})\n\n${help}`);
    process.exit(2);
  }
  return n;
}
