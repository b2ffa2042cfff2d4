import { performance } from "node:perf_hooks";
import { GuardedHttpAgent, GuardedHttpsAgent } from "@upfleet/outbound";
import { failure } from "./classify.ts";
import type { ExecutorFactory, RunContext } from "./executor.ts";
import { matchesExpectedStatus, parseExpectedStatus } from "./expected-status.ts";
import { AGENT_OPTIONS } from "./http.ts";
import { BODY_LIMIT_BYTES } from "./http-body.ts";
import { HttpExchange, requestBody, requestHeaders } from "./http-client.ts";
import type { CheckResult } from "./result.ts";
import type { ApiAssertion, ApiCheckSpec, ApiStep } from "./spec.ts";

/** A step without a status assertion still expects success, as an http check does by default. */
const DEFAULT_STATUS = "200-299";
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/**
 * Longest value an extract may carry ("$" would carry the whole body): a token or an id fits, and the
 * variables of a run stay small however many steps use them.
 */
export const EXTRACT_VALUE_MAX_CHARS = 8 * 1024;
/** Longest value a failure message quotes. */
const MESSAGE_VALUE_MAX_CHARS = 200;
/**
 * Longest url and header value once {{variables}} are filled in, and longest body: one short template
 * repeating a variable must not make a request of hundreds of megabytes.
 */
const FILLED_MAX_CHARS = { url: 16 * 1024, header: 16 * 1024, body: BODY_LIMIT_BYTES } as const;

interface StepReport {
  name: string;
  httpStatus: number | null;
  responseMs: number;
  bodyTruncated?: true;
}

/** A step's response body as read (the first BODY_LIMIT_BYTES), parsed as JSON at most once. */
class StepBody {
  #json: { value: unknown } | undefined;
  constructor(
    readonly text: string,
    readonly truncated: boolean,
  ) {}

  /** The value at `path`, or why there is none. */
  lookup(path: string): { value: unknown } | { missing: string } {
    if (this.truncated) return { missing: `the body is over ${BODY_LIMIT_BYTES} bytes, too large to read as JSON` };
    this.#json ??= { value: parseJson(this.text) };
    const value = valueAt(this.#json.value, path);
    return value === undefined ? { missing: `nothing at "${path}"` } : { value };
  }
}

/** Why a step failed: the assertion (or the extraction or substitution) that did not hold. */
class StepFailure extends Error {
  constructor(
    message: string,
    readonly assertion: Record<string, unknown> | null,
  ) {
    super(message);
  }
}

/**
 * An api check runs its steps in order, each a request through the guarded agents, checks its
 * assertions and extracts variables for the later steps' {{name}}; it stops at the first failure and
 * names the step. The response time is the whole sequence's.
 */
export const createApiExecutor: ExecutorFactory<"api"> = ({ guard, userAgent }) => {
  // Pools of their own, vetted like the http check's: every socket, redirect hops included, goes through
  // the guard. There is no verify_tls for api monitors: certificates are always verified.
  const httpAgent = new GuardedHttpAgent(guard, AGENT_OPTIONS);
  const httpsAgent = new GuardedHttpsAgent(guard, { ...AGENT_OPTIONS, rejectUnauthorized: true });
  return {
    run: (spec, context) =>
      runApiCheck(
        spec,
        context,
        (step) =>
          new HttpExchange(step.url, {
            method: step.method,
            headers: requestHeaders(userAgent, step.headers),
            body: requestBody(step),
            followRedirects: true,
            agents: { http: httpAgent, https: httpsAgent },
            signal: context.signal,
          }),
      ),
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
};

async function runApiCheck(
  spec: ApiCheckSpec,
  context: RunContext,
  open: (step: ApiStep) => HttpExchange,
): Promise<CheckResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const variables = new Map<string, string>();
  const steps: StepReport[] = [];
  let current: ApiStep | undefined;
  let exchange: HttpExchange | undefined;
  let httpStatus: number | null = null;
  try {
    for (const step of spec.steps) {
      current = step;
      httpStatus = null;
      const filled = fill(step, variables);
      const stepStarted = performance.now();
      exchange = open(filled);
      httpStatus = (await exchange.response()).statusCode!;
      const read = await exchange.body(true);
      const body = new StepBody(read.text, read.truncated);
      const responseMs = Math.round(performance.now() - stepStarted);
      steps.push({ name: step.name, httpStatus, responseMs, ...(read.truncated ? { bodyTruncated: true } : {}) });
      judge(step, httpStatus, body, responseMs);
      for (const [name, path] of Object.entries(step.extract)) variables.set(name, extract(body, name, path));
    }
    const responseMs = elapsed();
    return {
      status: "up",
      error: null,
      message: null,
      responseMs,
      httpStatus,
      timings: { total: responseMs },
      details: { steps },
    };
  } catch (error) {
    exchange?.destroy();
    const where = current ? `Step "${current.name}"` : "A step";
    const details = { steps, failedStep: current?.name ?? null };
    if (error instanceof StepFailure) {
      return {
        status: "down",
        error: "assertion",
        message: `${where}: ${error.message}`,
        responseMs: elapsed(),
        httpStatus,
        timings: { total: elapsed() },
        details: { ...details, failedAssertion: error.assertion },
      };
    }
    const result = failure(error, { timeoutMs: spec.timeoutMs, ...context }, { httpStatus, details });
    return { ...result, message: `${where}: ${result.message}` };
  }
}

/** The variable `name` as text; a missing or over-long value fails the step. */
function extract(body: StepBody, name: string, path: string): string {
  const found = body.lookup(path);
  if ("missing" in found) throw new StepFailure(`cannot extract {{${name}}}: ${found.missing}`, { path });
  const value = text(found.value);
  if (value.length > EXTRACT_VALUE_MAX_CHARS) {
    throw new StepFailure(
      `cannot extract {{${name}}}: "${path}" is ${value.length} characters, above ${EXTRACT_VALUE_MAX_CHARS}`,
      { path },
    );
  }
  return value;
}

/**
 * The step with {{variables}} replaced in its url, header values and body; an unknown one fails it, as
 * does a result longer than its FILLED_MAX_CHARS (counted before the string is built).
 */
function fill(step: ApiStep, variables: Map<string, string>): ApiStep {
  const replace = (value: string, limit: number, what: string) => {
    let length = value.length;
    for (const [placeholder, name] of value.matchAll(VARIABLE)) {
      const found = variables.get(name!);
      if (found === undefined) throw new StepFailure(`{{${name}}} is not set by an earlier step`, null);
      length += found.length - placeholder.length;
      if (length > limit)
        throw new StepFailure(`${what} is over ${limit} characters once variables are filled in`, null);
    }
    return value.replace(VARIABLE, (_, name: string) => variables.get(name)!);
  };
  const url = replace(step.url, FILLED_MAX_CHARS.url, "the url");
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new StepFailure(`"${clip(url)}" is not an http:// or https:// URL`, null);
  }
  return {
    ...step,
    url,
    headers: Object.fromEntries(
      Object.entries(step.headers).map(([name, value]) => [
        name,
        replace(value, FILLED_MAX_CHARS.header, `header ${name}`),
      ]),
    ),
    body: step.body === null ? null : replace(step.body, FILLED_MAX_CHARS.body, "the body"),
  };
}

/** Throws StepFailure naming the first assertion that does not hold. */
function judge(step: ApiStep, status: number, body: StepBody, responseMs: number): void {
  const assertions: ApiAssertion[] = step.assertions.some((a) => a.type === "status")
    ? step.assertions
    : [{ type: "status", value: DEFAULT_STATUS }, ...step.assertions];
  for (const assertion of assertions) {
    const fail = (message: string) => {
      throw new StepFailure(message, { ...assertion });
    };
    switch (assertion.type) {
      case "status": {
        const ranges = parseExpectedStatus(assertion.value);
        if (!ranges) fail(`"${assertion.value}" is not a status list such as "200" or "200-299,301"`);
        else if (!matchesExpectedStatus(ranges, status)) fail(`expected status ${assertion.value}, got ${status}`);
        break;
      }
      case "body_contains":
        if (!body.text.includes(assertion.value)) {
          const where = body.truncated ? ` in its first ${BODY_LIMIT_BYTES} bytes` : "";
          fail(`body does not contain "${assertion.value}"${where}`);
        }
        break;
      case "json_path": {
        const found = body.lookup(assertion.path);
        if ("missing" in found) fail(found.missing);
        else if (text(found.value) !== assertion.value) {
          const shown = clip(text(found.value));
          fail(`"${assertion.path}" is ${JSON.stringify(shown)}, expected ${JSON.stringify(assertion.value)}`);
        }
        break;
      }
      case "response_time":
        if (responseMs > Number(assertion.value)) fail(`took ${responseMs} ms, above ${assertion.value} ms`);
        break;
    }
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The value at "data.items.0.id" (or "data.items[0].id", an optional leading "$."), or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  const keys = path
    .replace(/^\$\.?/, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean);
  let current = root;
  for (const key of keys) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A value as a message shows it: a path may hold the whole body, and the message goes to check history. */
function clip(value: string): string {
  return value.length > MESSAGE_VALUE_MAX_CHARS ? `${value.slice(0, MESSAGE_VALUE_MAX_CHARS)}…` : value;
}

/** A JSON value as assertions compare it and variables carry it: strings bare, the rest as JSON. */
function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
