import v8 from "node:v8";

const FLAG = "--heap-growing-percent";

/**
 * Lets V8's old space grow to `percent` above what its last full collection kept before the next one
 * starts, unless the command line chose a factor. V8's own factor adapts to the collector's speed and
 * at times let garbage grow to several times the live heap, which was then most of the process's RSS.
 * A factor, not a fixed cap (--max-old-space-size), keeps room for a live heap that grows with the
 * monitors (BENCHMARKS.md, issue #15).
 */
export function boundHeapGrowth(percent: number): void {
  if (process.execArgv.some((arg) => arg.startsWith(FLAG))) return;
  v8.setFlagsFromString(`${FLAG}=${percent}`);
}
