import { definePingRoutes, parseExitCode } from "./record.ts";
import { ExitCodeParams } from "./schema.ts";

/** Registered after /start and /fail, which this path would otherwise match. */
export const exitCodePingRoutes = definePingRoutes({
  suffix: "/:exit_code",
  operationId: "heartbeats.exitCode",
  params: ExitCodeParams,
  summary: "Exit code ping: 0 is a success, 1–255 a failure with the code as its cause",
  signal: (params) => {
    const exitCode = parseExitCode(params.exit_code);
    return { kind: exitCode === 0 ? "success" : "fail", exitCode };
  },
});
