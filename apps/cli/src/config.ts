import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";

export type Env = Record<string, string | undefined>;

/** What `upfleet login` keeps between runs. Either credential, never both. */
export interface StoredConfig {
  api_url?: string;
  api_key?: string;
  token?: string;
  token_expires_at?: string;
}

function configPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), ".config");
  return path.join(base, "upfleet", "config.json");
}

export async function readConfig(env: Env): Promise<StoredConfig> {
  const text = await readFile(configPath(env), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "{}";
    throw error;
  });
  return JSON.parse(text) as StoredConfig;
}

/** Writes the file readable by its owner only: it holds a credential. */
export async function writeConfig(env: Env, config: StoredConfig): Promise<string> {
  const file = configPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; one left by an older version or by hand may be wider.
  await chmod(file, 0o600);
  return file;
}
