import { isIP } from "node:net";
import { type HostNameRules, hostNameProblem, toAsciiName } from "@upfleet/outbound";
import { z } from "zod";
import { expectedStatusSchema } from "./expected-status.ts";
import { RESOLVER_MAX_LENGTH } from "./resolver.ts";

/*
 * The check a worker runs, as carried in a `checks:<region>` job (camelCase, built by the API from the
 * monitor). Parsed when dequeued. Defaults mirror the API's, so a job from an older producer that omits
 * a newer field still runs the way the monitor was meant to.
 */

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/**
 * What one api check may ask of a worker: each extract is a lookup in the step's parsed body and a
 * variable kept for the rest of the run, so the counts are bounded here and, the same, at the API
 * (packages/monitors), which names the field in its 400; a job beyond them is never produced.
 */
export const API_CHECK_LIMITS = {
  steps: 20,
  assertionsPerStep: 20,
  extractsPerStep: 20,
  headersPerStep: 50,
} as const;

const timeoutMs = z.number().int().min(1).max(300_000);

/**
 * A host as the API validates it (hostNameProblem, the one rule both use), handed to the executors in
 * its ASCII form: what DNS is asked and what the certificate is checked against.
 */
const hostField = (rules: HostNameRules) =>
  z
    .string()
    .superRefine((host, ctx) => {
      const problem = hostNameProblem(host, { ...rules, ipLiterals: true });
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((host) => (parseIpLiteral(host) ? host : toAsciiName(host)));

const parseIpLiteral = (host: string) => isIP(host.replace(/^\[(.*)\]$/, "$1")) !== 0;

/** An http(s) URL whose host is a host name by the same rule (or an IP literal). */
const httpUrl = z
  .url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" })
  .superRefine((url, ctx) => {
    const problem = urlHostProblem(url);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Why the host of an http(s) URL is no host name, or null (also when it is no URL: other rules say so). */
export function urlHostProblem(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const problem = hostNameProblem(new URL(url).hostname, { ipLiterals: true });
  return problem && `must have a valid host: it ${problem}`;
}
const thresholdMs = z.number().int().min(1).max(300_000).nullable().default(null);

export const httpCheckSpecSchema = z.object({
  type: z.literal("http"),
  url: httpUrl,
  method: z.enum(HTTP_METHODS).default("GET"),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().nullable().default(null),
  timeoutMs,
  expectedStatus: expectedStatusSchema.default("200-299"),
  keyword: z.string().min(1).nullable().default(null),
  keywordNegate: z.boolean().default(false),
  responseTimeThresholdMs: thresholdMs,
  followRedirects: z.boolean().default(true),
  verifyTls: z.boolean().default(true),
});

export const tcpCheckSpecSchema = z.object({
  type: z.literal("tcp"),
  /** A name or an IP literal; IPv6 may come bracketed ("[::1]"). */
  host: hostField({}),
  port: z.number().int().min(1).max(65535),
  timeoutMs,
  responseTimeThresholdMs: thresholdMs,
});

export const pingCheckSpecSchema = z.object({
  type: z.literal("ping"),
  /** A name or an IP literal; IPv6 may come bracketed ("[::1]"). */
  host: hostField({}),
  timeoutMs,
  /** Compared with the average round trip. */
  responseTimeThresholdMs: thresholdMs,
});

export const DNS_RECORD_TYPES = ["A", "AAAA", "MX", "TXT", "CNAME", "NS"] as const;

export const dnsCheckSpecSchema = z.object({
  type: z.literal("dns"),
  /** A record name: underscores allowed (`_dmarc.example.com`). */
  host: hostField({ recordName: true }),
  recordType: z.enum(DNS_RECORD_TYPES).default("A"),
  /** Up only when some record equals it (names compared without case or trailing dot). */
  expectedValue: z.string().min(1).nullable().default(null),
  /** `ip[:port]` (IPv6 bracketed); null asks the system's resolvers. */
  resolver: z.string().min(1).max(RESOLVER_MAX_LENGTH).nullable().default(null),
  timeoutMs,
});

export const sslCheckSpecSchema = z.object({
  type: z.literal("ssl"),
  /** The name the certificate must be valid for (and the SNI sent), or an IP literal. */
  host: hostField({}),
  port: z.number().int().min(1).max(65535).default(443),
  timeoutMs,
});

const apiAssertionSchema = z.discriminatedUnion("type", [
  /**
   * Status codes or ranges, as http's expectedStatus ("200", "200-299", "200,201"). Not refined here: the
   * API stores it unchecked, and one bad step must fail its check with a message, not the whole job.
   */
  z.object({ type: z.literal("status"), value: z.string().max(200) }),
  z.object({ type: z.literal("body_contains"), value: z.string().min(1) }),
  /** The value at a dotted path of the JSON body ("data.items.0.id"), compared as text. */
  z.object({ type: z.literal("json_path"), path: z.string().min(1), value: z.string() }),
  /** At most this many milliseconds for the step. */
  z.object({ type: z.literal("response_time"), value: z.string().regex(/^\d{1,6}$/) }),
]);

export const apiStepSchema = z.object({
  name: z.string().min(1).max(100),
  method: z.enum(HTTP_METHODS).default("GET"),
  /** May hold {{variables}} extracted by earlier steps, so it is a URL only once they are filled in. */
  url: z.string().min(1).max(2048),
  headers: z
    .record(z.string(), z.string())
    .refine((h) => Object.keys(h).length <= API_CHECK_LIMITS.headersPerStep)
    .default({}),
  body: z.string().nullable().default(null),
  assertions: z.array(apiAssertionSchema).max(API_CHECK_LIMITS.assertionsPerStep).default([]),
  /** Variable name → dotted path in this step's JSON body, for {{name}} in later steps. */
  extract: z
    .record(z.string(), z.string().min(1))
    .refine((e) => Object.keys(e).length <= API_CHECK_LIMITS.extractsPerStep)
    .default({}),
});

export const apiCheckSpecSchema = z.object({
  type: z.literal("api"),
  steps: z.array(apiStepSchema).min(1).max(API_CHECK_LIMITS.steps),
  timeoutMs,
});

/**
 * A monitor whose check cannot be built from its row (credentials no ENCRYPTION_KEY key opens,
 * settings stored before a rule existed): the worker reports it down with invalid_settings and
 * `reason`, so it is seen and fixed instead of silently never checked.
 */
export const unrunnableCheckSpecSchema = z.object({
  type: z.literal("unrunnable"),
  reason: z.string().max(2_000),
  timeoutMs,
});

// A new check type: add its schema here and to this union, then one executor file and its registry line.
export const checkSpecSchema = z.discriminatedUnion("type", [
  httpCheckSpecSchema,
  tcpCheckSpecSchema,
  dnsCheckSpecSchema,
  sslCheckSpecSchema,
  apiCheckSpecSchema,
  pingCheckSpecSchema,
  unrunnableCheckSpecSchema,
]);

export type HttpCheckSpec = z.output<typeof httpCheckSpecSchema>;
export type TcpCheckSpec = z.output<typeof tcpCheckSpecSchema>;
export type DnsCheckSpec = z.output<typeof dnsCheckSpecSchema>;
export type SslCheckSpec = z.output<typeof sslCheckSpecSchema>;
export type ApiCheckSpec = z.output<typeof apiCheckSpecSchema>;
export type PingCheckSpec = z.output<typeof pingCheckSpecSchema>;
export type UnrunnableCheckSpec = z.output<typeof unrunnableCheckSpecSchema>;
export type ApiStep = z.output<typeof apiStepSchema>;
export type ApiAssertion = ApiStep["assertions"][number];
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];
export type CheckSpec = z.output<typeof checkSpecSchema>;
/** What a producer may send: fields with defaults can be left out. */
export type CheckSpecInput = z.input<typeof checkSpecSchema>;
export type CheckType = CheckSpec["type"];
