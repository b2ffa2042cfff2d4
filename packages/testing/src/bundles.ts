import path from "node:path";
import { buildApps } from "../../../build.ts";

/** The apps tests and benches start from their bundles. */
const BUNDLED_APPS = ["api", "alerter", "worker"] as const;

/**
 * Bundles the apps with ADR 0010's build into `root/<app>/` (`bundleEntry` names each one's entry), assets linked rather than copied (the
 * API then serves apps/web/dist as it is when it starts). Tests build with source maps; benches without,
 * as the images ship.
 */
export async function bundleApps(root: string, options: { sourcemap?: boolean } = {}): Promise<void> {
  await buildApps(BUNDLED_APPS, (app) => path.join(root, app), { sourcemap: options.sourcemap, linkAssets: true });
}
