import v8 from "node:v8";

/**
 * Prisma's query compiler and schema engine are WebAssembly. V8's tier-up recompiles their busy
 * functions with TurboFan on background threads, whose memory stays in glibc's per-thread arenas, for
 * code that runs once per query shape (plans are cached) or once per start (migrations): baseline code
 * only costs less memory and less CPU (BENCHMARKS.md, issue #15). Call it before the module is compiled.
 */
export function baselineWasmOnly(): void {
  v8.setFlagsFromString("--liftoff-only");
}
