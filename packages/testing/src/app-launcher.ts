import { type AppProcess, type RunningApp, spawnApp, startApp } from "./process.ts";

/** An app's processes for one test file: each test starts what it needs, `stopAll` (afterEach) kills what is left. */
export interface AppLauncher {
  /** Started and serving (its health port known). */
  start(overrides?: Record<string, string>): Promise<RunningApp>;
  /** Spawned only: for processes expected to exit on their own (bad configuration). */
  spawn(overrides?: Record<string, string>): AppProcess;
  stopAll(): Promise<void>;
}

export function appLauncher(cwd: string, env: () => Record<string, string>): AppLauncher {
  const apps: AppProcess[] = [];
  const track = <T extends AppProcess>(app: T) => {
    apps.push(app);
    return app;
  };
  return {
    start: async (overrides = {}) => track(await startApp({ cwd, env: { ...env(), ...overrides } })),
    spawn: (overrides = {}) => track(spawnApp({ cwd, env: { ...env(), ...overrides } })),
    stopAll: async () => {
      await Promise.all(apps.splice(0).map((app) => app.stop("SIGKILL")));
    },
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
