/**
 * `pnpm bench:api`: bare Express 5 vs the real API (`GET /api/v1/account` with an API key), each
 * in a child process, loaded by autocannon from this one. Prints a table and rewrites the
 * "API throughput" section of BENCHMARKS.md. `--profile` also CPU-profiles the API child.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { signUpWithKey } from "./lib/accounts.ts";
import { writeBlock } from "./lib/benchmarks-md.ts";
import { machine } from "./lib/harness.ts";
import { newestProfile, summarizeProfile } from "./profile.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, "results");
const TARGET_RATIO = 0.3;
const TARGET_P99_MS = 25;

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    profile: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
const connections = Number(args.connections);
const duration = Number(args.duration);
const warmup = Number(args.warmup);

interface Figures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
}

async function startTarget(kind: "bare" | "api"): Promise<{ child: ChildProcess; url: string }> {
  const profiling =
    args.profile && kind === "api" ? ["--cpu-prof", "--cpu-prof-dir", path.join(RESULTS, "profiles")] : [];
  const child = fork(path.join(HERE, "target.ts"), [kind], {
    cwd: HERE,
    execArgv: ["--import", "tsx", ...profiling],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [message] = (await Promise.race([
    once(child, "message"),
    once(child, "exit").then(([code]) => {
      throw new Error(`the ${kind} target exited (${code}) before listening`);
    }),
  ])) as [{ port: number }];
  return { child, url: `http://127.0.0.1:${message.port}` };
}

async function stopTarget(child: ChildProcess): Promise<void> {
  const exited = once(child, "exit");
  child.send("stop");
  await exited;
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({ url, connections, duration: seconds, headers });
  // A run of errors or 429s would measure the wrong thing: refuse to report it.
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`);
  }
  return result;
}

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Figures> {
  process.stdout.write(`${name}: ${warmup} s warm-up, ${duration} s at ${connections} connections… `);
  await load(url, headers, warmup);
  const result = await load(url, headers, duration);
  process.stdout.write("done\n");
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
  };
}

/** A Markdown table padded as the repository's formatter (biome) writes it, so `pnpm lint` stays green. */
function markdownTable(header: string[], rows: string[][], rightAligned: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = widths.map((w, i) => (rightAligned[i] ? `${"-".repeat(w - 1)}:` : "-".repeat(w)));
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)];
}

function report(bare: Figures, api: Figures, about: string): string {
  const ratio = api.requestsPerSecond / bare.requestsPerSecond;
  const row = (f: Figures) => [
    f.name,
    Math.round(f.requestsPerSecond).toLocaleString("en"),
    String(f.p50),
    String(f.p99),
    f.total.toLocaleString("en"),
  ];
  const verdict = (ok: boolean) => (ok ? "**pass**" : "**FAIL**");
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${about}`,
    `- Command: \`pnpm bench:api\` (autocannon, ${connections} connections, ${warmup} s warm-up then ${duration} s; each server in its own child process)`,
    "",
    ...markdownTable(
      ["target", "req/s", "p50 ms", "p99 ms", "requests"],
      [row(bare), row(api)],
      [false, true, true, true, true],
    ),
    "",
    `- Ratio API / bare Express: **${(ratio * 100).toFixed(1)} %** (target ≥ ${TARGET_RATIO * 100} %): ${verdict(ratio >= TARGET_RATIO)}`,
    `- API p99: **${api.p99} ms** (target < ${TARGET_P99_MS} ms): ${verdict(api.p99 < TARGET_P99_MS)}`,
  ].join("\n");
}

await mkdir(RESULTS, { recursive: true });
const about = await machine();
console.log(about);

const bare = await startTarget("bare");
let bareFigures: Figures;
try {
  bareFigures = await measure('bare Express 5 `GET /` → {"ok":true}', `${bare.url}/`);
} finally {
  await stopTarget(bare.child);
}

const api = await startTarget("api");
let apiFigures: Figures;
try {
  const { key } = await signUpWithKey(api.url);
  apiFigures = await measure("API `GET /api/v1/account` (X-API-Key)", `${api.url}/api/v1/account`, {
    "x-api-key": key,
  });
} finally {
  await stopTarget(api.child);
}

const text = report(bareFigures, apiFigures, about);
console.log(`\n${text}\n`);
await writeFile(
  path.join(RESULTS, `api-${Date.now()}.json`),
  JSON.stringify({ about, bare: bareFigures, api: apiFigures }, null, 2),
);
if (!args["no-write"]) {
  await writeBlock({
    bench: "api",
    key: "default",
    section: "## API throughput",
    intro: "The block between the markers is rewritten by every `pnpm bench:api`.",
    body: text,
  });
  console.log("BENCHMARKS.md updated");
}
if (args.profile) {
  const file = await newestProfile(path.join(RESULTS, "profiles"));
  console.log(file ? await summarizeProfile(file) : "no .cpuprofile was written");
}
