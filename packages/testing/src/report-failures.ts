import { afterEach } from "vitest";
import { appWarnings } from "./process.ts";

// A setup file (vitest.config.ts): after a failed test, what its app processes logged at warn and
// above goes into the report beside the assertion.
afterEach(({ task }) => {
  if (task.result?.state !== "fail") return;
  const report = appWarnings();
  if (report) process.stderr.write(`warnings the running apps logged:\n${report}\n`);
});
