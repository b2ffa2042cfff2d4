import type { components } from "../../api/client.ts";

type Region = components["schemas"]["Region"];
type Worker = components["schemas"]["Worker"];

export interface RegionRow extends Region {
  /** Why an operator should look: no worker, or checks not sent; null when the region is fine. */
  problem: string | null;
}

/** The regions, those needing attention first (no worker, checks not sent), then by name. */
export function regionRows(regions: Region[]): RegionRow[] {
  return regions
    .map((region) => ({ ...region, problem: problemOf(region) }))
    .sort((a, b) => Number(b.problem !== null) - Number(a.problem !== null) || a.name.localeCompare(b.name));
}

function problemOf(region: Region): string | null {
  if (region.workers === 0) return "no workers";
  if (!region.dispatching) return "checks not sent";
  return null;
}

/** Workers by region, then the longest-running first: a region's workers sit together. */
export function sortWorkers(workers: Worker[]): Worker[] {
  return [...workers].sort(
    (a, b) => a.region.localeCompare(b.region) || a.started_at.localeCompare(b.started_at) || a.id.localeCompare(b.id),
  );
}
