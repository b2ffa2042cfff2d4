import { createClient, type Page, paginate, type UpfleetClient } from "@upfleet/sdk";
import type { Command } from "commander";
import { type Env, readConfig, type StoredConfig } from "./config.ts";
import { CliError, EXIT } from "./exit-codes.ts";

/** Where the CLI reads and writes: the process's streams, or a test's. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: { write(chunk: string | Uint8Array): unknown };
  stderr: { write(chunk: string | Uint8Array): unknown };
  env: Env;
}

/** The options every command takes (declared on the program in program.ts). */
interface GlobalOptions {
  json?: boolean;
  apiUrl?: string;
}

const DEFAULT_API_URL = "http://localhost:3000";

/** What each command group gets: the streams, the stored configuration and an SDK client built from them. */
export class Context {
  /** What `upfleet` exits with when the command succeeds: `run` passes on its command's code. */
  exitCode = 0;

  constructor(readonly io: Io) {}

  config(): Promise<StoredConfig> {
    return readConfig(this.io.env);
  }

  /** `--api-url`, then `UPFLEET_API_URL`, then the one `login` stored, then a local `pnpm start`. */
  async apiUrl(command: Command): Promise<string> {
    const options = command.optsWithGlobals<GlobalOptions>();
    return options.apiUrl ?? this.io.env.UPFLEET_API_URL ?? (await this.config()).api_url ?? DEFAULT_API_URL;
  }

  /** A client with `UPFLEET_API_KEY`, or else the credential `login` stored. */
  async client(command: Command): Promise<UpfleetClient> {
    const config = await this.config();
    const apiKey = this.io.env.UPFLEET_API_KEY || config.api_key;
    if (!apiKey && !config.token) {
      throw new CliError("not logged in: run `upfleet login`, or set UPFLEET_API_KEY", EXIT.auth);
    }
    return createClient({ baseUrl: await this.apiUrl(command), apiKey, token: config.token });
  }

  /** A client without credentials, for logging in. */
  async anonymousClient(command: Command) {
    return createClient({ baseUrl: await this.apiUrl(command) });
  }

  /** `value` as JSON with `--json` (the API's objects as they are), else as `human` renders it for people. */
  print<T>(command: Command, value: T, human: (value: T) => string): void {
    const text = command.optsWithGlobals<GlobalOptions>().json ? JSON.stringify(value, null, 2) : human(value);
    if (text !== "") this.io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** One page of a list: its items as `print` does, and where the next page starts on stderr. */
  printPage<T>(command: Command, page: Page<T>, human: (items: T[]) => string): void {
    this.print(command, page.data, human);
    if (page.next_cursor) this.note(`more: --cursor ${page.next_cursor}`);
  }

  /** A note for people (never part of the output scripts read), on stderr. */
  note(message: string): void {
    this.io.stderr.write(`${message}\n`);
  }
}

/** The data of a call through `client.api`: the SDK throws on anything but 2xx, so a 2xx with a body has it. */
export async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/** Every item of a list the SDK has no iterator for, page after page (`page` reads the one at `cursor`). */
export function allPages<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  return all(paginate(page));
}

/** Every item of one of the SDK's paginated lists (Node 20 has no Array.fromAsync). */
export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}
