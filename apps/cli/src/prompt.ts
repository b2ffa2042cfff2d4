import { createInterface } from "node:readline/promises";
import type { Io } from "./context.ts";
import { usageError } from "./exit-codes.ts";

/** All of stdin as text without its trailing newline (`--password-stdin`, `echo $PW | upfleet login`). */
export async function readStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Asks on the terminal (the question on stderr, so stdout stays the command's output). */
export async function ask(io: Io, question: string): Promise<string> {
  if (!io.stdin.isTTY) throw usageError(`${question.replace(/: $/, "")} is required (stdin is not a terminal)`);
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Asks for a secret on the terminal without echoing it. */
export function askSecret(io: Io, question: string): Promise<string> {
  const { stdin } = io;
  if (!stdin.isTTY || !stdin.setRawMode) {
    return Promise.reject(
      usageError("a password is needed: pass it with --password-stdin when stdin is not a terminal"),
    );
  }
  io.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let secret = "";
    const done = (error?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      io.stderr.write("\n");
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === "\r" || char === "\n") return done();
        if (char === "\u0003") return done(usageError("cancelled"));
        if (char === "\u007f" || char === "\b") secret = secret.slice(0, -1);
        else secret += char;
      }
    };
    stdin.on("data", onData);
  });
}
