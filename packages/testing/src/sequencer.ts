import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds the files that wait longest on real time took in a full run (2026-12-06), for a machine whose
 * vitest cache has not timed them yet (CI on a clean clone). Only the order matters: the run ends when
 * the fork that started the longest file last is done, so these must not be left for the end.
 */
const SLOW_FILES: Record<string, number> = {
  "apps/web/test/live-budget.test.ts": 188,
  "apps/alerter/test/redis-cluster.test.ts": 77,
  "apps/alerter/test/faults-worker.test.ts": 69,
  "apps/alerter/test/faults-region-partition.test.ts": 69,
  "apps/alerter/test/edits.test.ts": 68,
  "apps/alerter/test/faults-redis.test.ts": 67,
  "apps/alerter/test/escalation.test.ts": 64,
  "apps/alerter/test/two-alerters.test.ts": 59,
  "apps/alerter/test/heartbeats.test.ts": 58,
  "apps/alerter/test/faults-worker-stall.test.ts": 54,
  "apps/web/test/dashboard.test.ts": 51,
  "apps/alerter/test/redis-sentinel.test.ts": 50,
};

/**
 * Longest file first, so the forks finish together (ADR 0009): by vitest's cached duration of the
 * file's last run, else by SLOW_FILES. vitest's own order puts any file its cache does not know first
 * and then sorts the rest by size, which on a clean clone started the 3-minute file last.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const seconds = (file: TestSpecification) => {
      const path = relative(config.root, file.moduleId);
      const cached = cache.getFileTestResults(`${file.project.name}:${path}`)?.duration;
      return cached === undefined ? (SLOW_FILES[path] ?? 0) : cached / 1000;
    };
    return [...files].sort((a, b) => seconds(b) - seconds(a));
  }
}
