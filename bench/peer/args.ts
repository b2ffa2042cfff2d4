/** The command line of `pnpm bench:peer`. */
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";

export const HELP = `pnpm bench:peer --kuma-dir DIR [--monitors 100,1000] [--interval S] [--warmup S] [--duration S] [--no-write]

  --kuma-dir DIR   a checkout of Uptime Kuma 2.5.3 (git clone --branch 2.5.3 https://github.com/louislam/uptime-kuma.git DIR);
                   installed and built there first when not yet done
  --monitors LIST  the sizes to compare, comma-separated (default 100,1000); each runs Kuma, then Upfleet
  --interval S     every monitor's interval in seconds (default 30)
  --warmup S       seconds from the last monitor added to the window (default 30)
  --duration S     the measured window in seconds, for both: a whole number of intervals (default 120)
  --no-write       leave BENCHMARKS.md alone (results still go to bench/results/)`;

const count = (min: number) => z.coerce.number().int().min(min);

const Options = z
  .object({
    kumaDir: z.string().min(1, "--kuma-dir is required"),
    monitors: z
      .string()
      .default("100,1000")
      .transform((list) => list.split(",").map((n) => (n.trim() === "" ? Number.NaN : Number(n))))
      .pipe(z.array(z.number().int().min(1)).min(1)),
    intervalS: count(1).default(30),
    warmupS: count(5).default(30),
    durationS: count(10).default(120),
    write: z.boolean(),
  })
  // Kuma's monitors are added within seconds and check in step: a window of whole intervals holds
  // each one's checks the same number of times, so the target's count can be held to N ÷ interval.
  .refine((o) => o.durationS % o.intervalS === 0, {
    path: ["durationS"],
    message: "must be a whole number of intervals",
  });

export type PeerOptions = z.infer<typeof Options>;

/** The options, or an error whose message says what is wrong (the caller adds the help text). */
export function parsePeerArgs(argv: string[]): PeerOptions | { help: true } {
  const { values } = parseArgs({
    args: argv,
    options: {
      "kuma-dir": { type: "string" },
      monitors: { type: "string" },
      interval: { type: "string" },
      warmup: { type: "string" },
      duration: { type: "string" },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return { help: true };
  const parsed = Options.safeParse({
    kumaDir: values["kuma-dir"],
    monitors: values.monitors,
    intervalS: values.interval,
    warmupS: values.warmup,
    durationS: values.duration,
    write: !values["no-write"],
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issueName(issue.path)}: ${issue.message}`);
    throw new Error(problems.join("\n"));
  }
  return { ...parsed.data, kumaDir: path.resolve(parsed.data.kumaDir) };
}

const OPTION_NAMES: Record<string, string> = {
  kumaDir: "--kuma-dir",
  monitors: "--monitors",
  intervalS: "--interval",
  warmupS: "--warmup",
  durationS: "--duration",
};

function issueName(at: PropertyKey[]): string {
  return OPTION_NAMES[String(at[0])] ?? String(at[0]);
}
