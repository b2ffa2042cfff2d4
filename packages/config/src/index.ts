import { z } from "zod";

/** A configuration problem, naming each variable that is wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`),
  );
}

/** For a process entry point: parse, or print the problems and exit 1 before anything starts. */
export function loadEnvOrExit<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  try {
    return parseEnv(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** An optional variable where an empty string means "not set". */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(emptyAsUndefined, schema.optional());
}

export const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(["true", "false", "1", "0"], { message: "must be true or false" })
      .default(fallback ? "true" : "false")
      .transform((v) => v === "true" || v === "1"),
  );

export const urlWithProtocols = (protocols: string[], fallback: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(fallback)
      .refine(
        (value) => {
          try {
            return protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
        `must be a URL starting with ${protocols.join(" or ")}//`,
      ),
  );

/**
 * A variable turned into a value by `parse` (a CIDR list, a retry schedule…); what `parse` throws
 * becomes the configuration error that names the variable.
 */
export function parsedWith<T>(parse: (text: string) => T, fallback: string) {
  return z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        try {
          return parse(text);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      }),
  );
}

/** A JSON variable validated by `schema`; unset or empty reads as `fallback`. */
export function jsonEnv<T extends z.ZodType>(schema: T, fallback: string) {
  return z.preprocess(
    (v) => (v === "" || v === undefined ? fallback : v),
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "must be JSON" });
          return z.NEVER;
        }
      })
      .pipe(schema),
  );
}

export const port = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));

export const positiveInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

const REGION_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const regionName = z.string().regex(REGION_NAME, "must be lowercase letters, digits and dashes (≤ 32)");

export const regionList = (fallback: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(fallback)
      .transform((value) => [
        ...new Set(
          value
            .split(",")
            .map((r) => r.trim())
            .filter(Boolean),
        ),
      ])
      .pipe(z.array(regionName).min(1, "must name at least one region")),
  );

export const logLevel = z.preprocess(
  emptyAsUndefined,
  z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
);

const REDIS_PREFIX = /^(?=.{1,64}$)[A-Za-z0-9_.-]*(?:\{[A-Za-z0-9_.-]+\}[A-Za-z0-9_.-]*)?$/;

/** Variables every process shares. */
export const baseEnv = {
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(["development", "production", "test"]).default("development")),
  REDIS_URL: urlWithProtocols(["redis:", "rediss:"], "redis://127.0.0.1:6379"),
  /**
   * Namespaces every Redis key (BullMQ included) so deployments and test files can share one server.
   * It may carry one hash tag (`{upf}`): on a Redis Cluster every key then shares one slot, which is
   * what our multi-key scripts and BullMQ's need.
   */
  REDIS_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(REDIS_PREFIX, "must be 1–64 letters, digits, '_', '.', '-', with at most one hash tag such as {upf}")
      .default("upf"),
  ),
  LOG_LEVEL: logLevel,
  /** Port of the process' health/metrics server (the API serves them on its own port). */
  HEALTH_PORT: port(0),
};

export const databaseEnv = {
  DATABASE_URL: urlWithProtocols(["postgres:", "postgresql:"], "postgresql://postgres@127.0.0.1:5432/upfleet"),
  /**
   * Connections in the process's Prisma pool, opened as its work needs them: PostgreSQL's
   * `max_connections` is shared by every process, so a small server wants fewer.
   */
  DATABASE_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(10)),
};
