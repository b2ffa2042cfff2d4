/** Each region's newest check, regions in name order: the "per-region results" of a monitor. */
export function latestPerRegion<T extends { region: string; timestamp: string }>(checks: T[]): T[] {
  const latest = new Map<string, T>();
  for (const check of checks) {
    const seen = latest.get(check.region);
    if (!seen || Date.parse(check.timestamp) > Date.parse(seen.timestamp)) latest.set(check.region, check);
  }
  return [...latest.values()].sort((a, b) => a.region.localeCompare(b.region));
}
