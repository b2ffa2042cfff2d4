import { getCurrentSuite } from "vitest/suite";

// Runs before every test file. With `isolate: false` a fork keeps one default suite for all the files
// it runs, and vitest 3.2 does not clear the fixtures a file's top-level `test.scoped(...)` put on it,
// so one file's `apiEnv` reached the API of the next file in the fork. Every file starts from the
// default again here. Only exports.test.ts and status-pages-public.test.ts still set `apiEnv` that way
// (the others use `apiTest(env)`); once they do too, this file goes (ADR 0009).
// (typed for function fixtures only; a plain value is what `apiEnv` is)
getCurrentSuite().scoped({ apiEnv: {} } as never);
