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
}

/** Where a frame's code lives: a package name, our own file, or node itself. */
function owner(url: string): string {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:") || url === "") return "(node / native)";
  return path.relative(process.cwd(), url.replace(/^file:\/\//, ""));
}

/** The newest .cpuprofile in `dir`: self time per function and per package, largest first. */
export async function summarizeProfile(dir: string, top = 20): Promise<string> {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main one (tsx adds a loader thread).
  const files = (await readdir(dir)).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  if (files.length === 0) return `no .cpuprofile in ${dir}`;
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(path.join(dir, f))).mtimeMs })));
  const newest = dated.sort((a, b) => b.t - a.t)[0]!.f;
  const profile = JSON.parse(await readFile(path.join(dir, newest), "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  /** Native work (socket writes, GC excepted) charged to the nearest package or file that asked for it. */
  const caller = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const where = owner(byId.get(at)?.callFrame.url ?? "");
      if (where !== "(node / native)") return where;
    }
    return byId.get(id)?.callFrame.functionName || "(node / native)";
  };
  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  const byCaller = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    total += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = owner(url);
    const fn = `${functionName || "(anonymous)"} ${where}${url ? `:${lineNumber + 1}` : ""}`;
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + delta);
    selfByOwner.set(where, (selfByOwner.get(where) ?? 0) + delta);
    const charged = caller(id);
    byCaller.set(charged, (byCaller.get(charged) ?? 0) + delta);
  });
  const table = (rows: Map<string, number>) =>
    [...rows]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
      .join("\n");
  return [
    `${newest}: self time by function`,
    table(selfByFunction),
    "",
    "by package (native time charged to the JS package or file that called it)",
    table(byCaller),
  ].join("\n");
}
