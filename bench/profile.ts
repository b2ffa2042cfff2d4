/** Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: by function and by package. */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/** A package name, a file of ours, or "(native)" for node's internals and V8's own frames. */
function owner(url: string): string {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url === "") return "(native)";
  if (url.startsWith("node:")) return url;
  return path.relative(ROOT, url.replace(/^file:\/\//, ""));
}

function ms(value: number): string {
  return `${(value / 1000).toFixed(0).padStart(7)} ms`;
}

/**
 * Self time per function and per owner, plus "charged to": native time (socket writes, JSON, GC…)
 * attributed to the nearest caller that is a package or a file of ours, which says who asked for it.
 */
export async function summarizeProfile(file: string, top = 25): Promise<string> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const chargedCache = new Map<number, string>();
  const charged = (id: number): string => {
    const cached = chargedCache.get(id);
    if (cached) return cached;
    let result = byId.get(id)?.callFrame.functionName || "(native)";
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const where = owner(byId.get(at)?.callFrame.url ?? "");
      if (where !== "(native)" && !where.startsWith("node:")) {
        result = where;
        break;
      }
    }
    chargedCache.set(id, result);
    return result;
  };
  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  const byCaller = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idle += delta;
      return;
    }
    busy += delta;
    const where = owner(url);
    const fn = `${functionName || "(anonymous)"} ${where}${url ? `:${lineNumber + 1}` : ""}`;
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + delta);
    selfByOwner.set(where, (selfByOwner.get(where) ?? 0) + delta);
    const to = charged(id);
    byCaller.set(to, (byCaller.get(to) ?? 0) + delta);
  });
  const table = (title: string, rows: Map<string, number>) =>
    [
      title,
      ...[...rows]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, us]) => `${ms(us)} ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${name}`),
    ].join("\n");
  return [
    `${path.basename(file)}: ${ms(busy)} busy, ${ms(idle)} idle over ${ms(profile.endTime - profile.startTime)}`,
    table("self time by package / file:", selfByOwner),
    table("time charged to the nearest package / file of ours:", byCaller),
    table("self time by function:", selfByFunction),
  ].join("\n\n");
}

/**
 * The newest main-thread profile in `dir`. Files are CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile:
 * thread 0 is the main one (tsx adds a loader thread).
 */
export async function newestProfile(dir: string): Promise<string | undefined> {
  const files = (await readdir(dir)).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(path.join(dir, f))).mtimeMs })));
  const newest = dated.sort((a, b) => b.t - a.t)[0]?.f;
  return newest && path.join(dir, newest);
}
