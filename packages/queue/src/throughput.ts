const WINDOW_SECONDS = 60;

/**
 * Events of the last minute, counted per second: a worker's checks, which it reports to the fleet
 * registry, so GET /regions sums its live workers' (a region whose workers are gone reads 0).
 */
export class MinuteCounter {
  private readonly perSecond = new Map<number, number>();

  add(count = 1, now = Date.now()): void {
    const second = Math.floor(now / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + count);
  }

  /** Events in the last 60 s (this second included); older seconds are dropped on the way. */
  total(now = Date.now()): number {
    const from = Math.floor(now / 1000) - WINDOW_SECONDS + 1;
    let sum = 0;
    for (const [second, count] of this.perSecond) {
      if (second < from) this.perSecond.delete(second);
      else sum += count;
    }
    return sum;
  }
}
