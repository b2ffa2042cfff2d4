import { type Logger as PinoLogger, pino } from "pino";

// `pino.Logger` does not resolve: under NodeNext the named `pino` export lacks the namespace's types.
export type Logger = PinoLogger;
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** JSON lines on stdout, one `service` field per process so merged logs stay readable. */
export function createLogger(service: string, level: LogLevel = "info"): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
