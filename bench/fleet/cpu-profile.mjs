/**
 * Preloaded into the alerter and workers by `pnpm bench:fleet --profile` (NODE_OPTIONS=--import …;
 * node 20 refuses --cpu-prof there). The first SIGUSR2 starts V8's CPU profiler, the next writes
 * the profile to $BENCH_CPU_PROFILE, so the profile covers the measured window only. Plain JS: it
 * loads before tsx.
 */
import { renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const file = process.env.BENCH_CPU_PROFILE;
if (file) {
  const session = new Session();
  session.connect();
  const post = (method, params = {}) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  let profiling = false;
  process.on("SIGUSR2", async () => {
    try {
      if (!profiling) {
        profiling = true;
        await post("Profiler.enable");
        await post("Profiler.setSamplingInterval", { interval: 1000 });
        await post("Profiler.start");
      } else {
        profiling = false;
        const { profile } = await post("Profiler.stop");
        // Renamed when complete, so the bench never reads half a profile.
        writeFileSync(`${file}.tmp`, JSON.stringify(profile));
        renameSync(`${file}.tmp`, file);
      }
    } catch (error) {
      process.stderr.write(`cpu-profile: ${error}\n`);
    }
  });
}
