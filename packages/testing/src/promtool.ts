import { spawn } from "node:child_process";

/**
 * What `promtool check metrics` says of a Prometheus exposition, one problem per line; null when
 * promtool (Debian's prometheus package; `.ci/run` installs it) is not on PATH.
 */
export function promtoolProblems(exposition: string): Promise<string[] | null> {
  return new Promise((resolve, reject) => {
    const child = spawn("promtool", ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? resolve(null) : reject(error)));
    child.on("close", () => resolve(output.split("\n").filter((line) => line.trim() !== "")));
    // A missing promtool fails the write too; the handlers above give the verdict.
    child.stdin.on("error", () => {});
    child.stdin.end(exposition);
  });
}
