import { type AppProcess, type RunningApp, type SpawnAppOptions, spawnApp, startApp } from "./process.ts";

/** App processes started together and stopped together (each with its process group). */
export interface AppGroup {
  /** Started and serving (startApp). */
  start(options: SpawnAppOptions): Promise<RunningApp>;
  /** Spawned only (spawnApp): for processes expected to exit on their own. */
  spawn(options: SpawnAppOptions): AppProcess;
  stopAll(): Promise<void>;
}

export function appGroup(): AppGroup {
  const apps: AppProcess[] = [];
  const track = <T extends AppProcess>(app: T) => {
    apps.push(app);
    return app;
  };
  return {
    start: async (options) => track(await startApp(options)),
    spawn: (options) => track(spawnApp(options)),
    stopAll: async () => {
      await Promise.all(apps.splice(0).map((app) => app.stop("SIGKILL")));
    },
  };
}

/** An app's processes for one test file: each test starts what it needs, `stopAll` (afterEach) kills what is left. */
export interface AppLauncher {
  /** Started and serving (its health port known). */
  start(overrides?: Record<string, string>): Promise<RunningApp>;
  /** Spawned only: for processes expected to exit on their own (bad configuration). */
  spawn(overrides?: Record<string, string>): AppProcess;
  stopAll(): Promise<void>;
}

export function appLauncher(cwd: string, env: () => Record<string, string>): AppLauncher {
  const apps = appGroup();
  return {
    start: (overrides = {}) => apps.start({ cwd, env: { ...env(), ...overrides } }),
    spawn: (overrides = {}) => apps.spawn({ cwd, env: { ...env(), ...overrides } }),
    stopAll: apps.stopAll,
  };
}

export interface ServiceEndpoints {
  healthz: number;
  readyz: { status: number; body: unknown };
  metrics: { status: number; contentType: string | null; text: string };
}

/** What a process's service endpoints answer (API.md "Service endpoints"), read at once. */
export async function serviceEndpoints(url: string): Promise<ServiceEndpoints> {
  const [healthz, readyz, metrics] = await Promise.all(
    ["healthz", "readyz", "metrics"].map((path) => fetch(`${url}/${path}`)),
  );
  return {
    healthz: healthz!.status,
    readyz: { status: readyz!.status, body: await readyz!.json() },
    metrics: {
      status: metrics!.status,
      contentType: metrics!.headers.get("content-type"),
      text: await metrics!.text(),
    },
  };
}
