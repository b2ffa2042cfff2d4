/**
 * When a monitor's checks are due. Ticks sit on a grid `k × interval + offset`, where the offset
 * comes from the monitor id: monitors sharing an interval are spread evenly over it instead of all
 * firing in the same second, and every region computes the same tick, so a round can be assembled.
 * Offsets are whole seconds, so the monitors due within a second are dispatched, checked, published
 * and stored together: each stage's fixed cost per wake-up is shared instead of paid per monitor
 * (docs/adr/0001).
 */

/** The grid's resolution: every tick is a whole second. */
const TICK_RESOLUTION_MS = 1_000;

/** FNV-1a: cheap, stable across processes and versions, well spread for short ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function tickOffsetMs(monitorId: string, intervalMs: number): number {
  const offset = fnv1a(monitorId) % intervalMs;
  return offset - (offset % TICK_RESOLUTION_MS);
}

/** The first tick strictly after `afterMs`. */
export function nextTickAfter(monitorId: string, intervalMs: number, afterMs: number): number {
  const offset = tickOffsetMs(monitorId, intervalMs);
  const k = Math.floor((afterMs - offset) / intervalMs) + 1;
  return k * intervalMs + offset;
}

/** The latest tick at or before `atMs`. */
export function tickAtOrBefore(monitorId: string, intervalMs: number, atMs: number): number {
  const offset = tickOffsetMs(monitorId, intervalMs);
  return Math.floor((atMs - offset) / intervalMs) * intervalMs + offset;
}
