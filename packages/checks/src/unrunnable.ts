import type { ExecutorFactory } from "./executor.ts";

/** Reports, without any network work, why the monitor's check could not be built. */
export const createUnrunnableExecutor: ExecutorFactory<"unrunnable"> = () => ({
  run: async (spec) => ({
    status: "down",
    responseMs: null,
    httpStatus: null,
    error: "invalid_settings",
    message: `The monitor's settings cannot be checked (${spec.reason}); edit the monitor`,
    timings: {},
    details: {},
  }),
});
