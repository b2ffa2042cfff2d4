import { performance } from "node:perf_hooks";
import { GuardedHttpAgent, GuardedHttpsAgent } from "@upfleet/outbound";
import type { Request, Response } from "got";
import { failure } from "./classify.ts";
import type { ExecutorFactory, RunContext } from "./executor.ts";
import { matchesExpectedStatus, parseExpectedStatus } from "./expected-status.ts";
import { AGENT_OPTIONS, checkClient, readBody, requestBody } from "./http.ts";
import type { CheckResult } from "./result.ts";
import type { ApiAssertion, ApiCheckSpec, ApiStep } from "./spec.ts";

/** A step without a status assertion still expects success, as an http check does by default. */
const DEFAULT_STATUS = "200-299";
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

interface StepReport {
  name: string;
  httpStatus: number | null;
  responseMs: number;
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
      runApiCheck(spec, context, (step, url, timeoutMs) =>
        checkClient.stream(url, {
          method: step.method,
          headers: { "user-agent": userAgent, ...step.headers },
          agent: { http: httpAgent, https: httpsAgent },
          body: requestBody(step),
          allowGetBody: step.method === "GET" && step.body !== null,
          signal: context.signal,
          timeout: { request: timeoutMs },
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
  open: (step: ApiStep, url: string, timeoutMs: number) => Request,
): Promise<CheckResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const variables = new Map<string, string>();
  const steps: StepReport[] = [];
  let current: ApiStep | undefined;
  let httpStatus: number | null = null;
  try {
    for (const step of spec.steps) {
      current = step;
      httpStatus = null;
      const filled = fill(step, variables);
      const stepStarted = performance.now();
      const stream = open(filled, filled.url, Math.max(1, spec.timeoutMs - elapsed()));
      // A late second 'error' (after the first settled the check) must not become an uncaught exception.
      stream.on("error", () => {});
      const response = await new Promise<Response>((resolve, reject) => {
        stream.once("response", resolve);
        stream.once("error", reject);
      });
      httpStatus = response.statusCode;
      const body = step.method === "HEAD" ? "" : (await readBody(stream)).text;
      const responseMs = Math.round(performance.now() - stepStarted);
      steps.push({ name: step.name, httpStatus, responseMs });
      judge(step, response.statusCode, body, responseMs);
      for (const [name, path] of Object.entries(step.extract)) {
        const value = valueAt(parseJson(body), path);
        if (value === undefined) throw new StepFailure(`Nothing at "${path}" to extract as {{${name}}}`, { path });
        variables.set(name, text(value));
      }
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

/** The step with {{variables}} replaced in its url, header values and body; an unknown one fails it. */
function fill(step: ApiStep, variables: Map<string, string>): ApiStep {
  const replace = (value: string) =>
    value.replace(VARIABLE, (_, name: string) => {
      const found = variables.get(name);
      if (found === undefined) throw new StepFailure(`{{${name}}} is not set by an earlier step`, null);
      return found;
    });
  const url = replace(step.url);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new StepFailure(`"${url}" is not an http:// or https:// URL`, null);
  }
  return {
    ...step,
    url,
    headers: Object.fromEntries(Object.entries(step.headers).map(([name, value]) => [name, replace(value)])),
    body: step.body === null ? null : replace(step.body),
  };
}

/** Throws StepFailure naming the first assertion that does not hold. */
function judge(step: ApiStep, status: number, body: string, responseMs: number): void {
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
        if (!body.includes(assertion.value)) fail(`body does not contain "${assertion.value}"`);
        break;
      case "json_path": {
        const value = valueAt(parseJson(body), assertion.path);
        if (value === undefined) fail(`nothing at "${assertion.path}"`);
        else if (text(value) !== assertion.value) {
          fail(`"${assertion.path}" is ${JSON.stringify(text(value))}, expected ${JSON.stringify(assertion.value)}`);
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

/** A JSON value as assertions compare it and variables carry it: strings bare, the rest as JSON. */
function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
