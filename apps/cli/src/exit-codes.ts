import { UpfleetError } from "@upfleet/sdk";
import { CommanderError } from "commander";

/** What `upfleet` exits with, so scripts can branch on the kind of failure without parsing messages. */
export const EXIT = {
  ok: 0,
  /** The API refused the request (a 4xx other than those below: validation, conflict, limits). */
  refused: 1,
  /** The command line itself is wrong: unknown command or option, a missing or malformed argument. */
  usage: 2,
  notFound: 3,
  /** No credential, or the API refused it (401) or its scopes or role (403). */
  auth: 4,
  /** The API failed (5xx), stayed rate limited after the retries, or could not be reached. */
  unavailable: 5,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the API refused the request (validation, conflict, limit)
  2  bad command line (unknown command or option, invalid argument)
  3  not found
  4  not logged in, credential refused (401) or not allowed (403)
  5  server error, still rate limited after retries, or API unreachable
  \`upfleet run\` exits with its command's code.`;

/** A failure the CLI itself detects, with the exit code it means. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof UpfleetError) {
    if (error.status === 404) return EXIT.notFound;
    if (error.status === 401 || error.status === 403) return EXIT.auth;
    if (error.status === 429 || error.status >= 500) return EXIT.unavailable;
    return EXIT.refused;
  }
  // fetch rejects with a TypeError when the API cannot be reached (refused, DNS, TLS, timeout).
  return EXIT.unavailable;
}

/** An error's message with its cause's, which is where fetch says why it failed ("fetch failed: connect ECONNREFUSED …"). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
