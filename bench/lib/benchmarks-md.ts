import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../BENCHMARKS.md");

export interface Block {
  /** The benchmark's name in the markers: `bench:<bench>:<key>:begin`. */
  bench: string;
  /** Which configuration: each one has its own block, rewritten by its next run only. */
  key: string;
  /** The `## …` heading of the benchmark's section, created with `intro` when missing. */
  section: string;
  intro: string;
  body: string;
}

/** Rewrites one block of BENCHMARKS.md, leaving every other benchmark's figures alone. */
export async function writeBlock({ bench, key, section, intro, body }: Block): Promise<void> {
  const begin = `<!-- bench:${bench}:${key}:begin (written by \`pnpm bench:${bench}\`) -->`;
  const end = `<!-- bench:${bench}:${key}:end -->`;
  const block = `${begin}\n${body}\n${end}`;
  // Read right before writing: another benchmark may have written its own section meanwhile.
  const current = await readFile(FILE, "utf8").catch(() => "# Benchmarks\n");
  const at = current.indexOf(begin);
  const until = current.indexOf(end);
  let next: string;
  if (at >= 0 && until > at) {
    next = `${current.slice(0, at)}${block}${current.slice(until + end.length)}`;
  } else if (current.includes(section)) {
    // A new configuration: after the section's last block, or else at the end of the section.
    const sectionStart = current.indexOf(section);
    const nextSection = current.indexOf("\n## ", sectionStart + section.length);
    const sectionEnd = nextSection >= 0 ? nextSection : current.length;
    const lastBlockEnd = current.slice(sectionStart, sectionEnd).lastIndexOf(":end -->");
    const insertAt = lastBlockEnd >= 0 ? sectionStart + lastBlockEnd + ":end -->".length : sectionEnd;
    next = `${current.slice(0, insertAt).trimEnd()}\n\n${block}\n${current.slice(insertAt)}`;
  } else {
    next = `${current.trimEnd()}\n\n${section}\n\n${intro}\n\n${block}\n`;
  }
  await writeFile(FILE, next);
}

/** The block a run writes: "default" without options, else the options that shape the run. */
export function configurationKey(argv: string[], ignored: string[] = ["--no-write"]): string {
  const key = argv
    .filter((a) => !ignored.includes(a))
    .join(" ")
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-+|-+$/g, "");
  return key || "default";
}

/**
 * The end of a run: prints the rendered figures, keeps the raw ones in bench/results/, and (unless
 * --no-write) rewrites this configuration's block of BENCHMARKS.md.
 */
export async function publish(
  block: Omit<Block, "key" | "body"> & { text: string; figures: unknown; write: boolean },
): Promise<void> {
  console.log(`\n${block.text}\n`);
  const results = path.join(path.dirname(FILE), "bench/results");
  await mkdir(results, { recursive: true });
  await writeFile(path.join(results, `${block.bench}-${Date.now()}.json`), JSON.stringify(block.figures, null, 2));
  if (!block.write) return;
  const key = configurationKey(process.argv.slice(2));
  await writeBlock({ ...block, key, body: block.text });
  console.log(`BENCHMARKS.md: block "${key}" of "${block.section.slice(3)}" updated`);
}
