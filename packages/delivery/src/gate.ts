import type { ChannelGate } from "./attempt.ts";

interface Lane {
  inFlight: number;
  waiting: (() => void)[];
}

/**
 * Caps the sends in flight per channel in this process, so a receiver that hangs holds at most
 * `limit` sends and `limit` waiting jobs of the worker's slots, and every other channel keeps the
 * rest. A job over the cap waits in line for its channel (a slot is handed over as a send ends)
 * instead of going back to the queue: a busy but healthy channel then costs no Redis or database
 * round trips per refusal. Only when the line is full, or the wait too long, is the job refused.
 */
export class InFlightGate implements ChannelGate {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs = 2_000,
    /** Jobs that may wait in one channel's line; by default as many as may be in flight. */
    private readonly maxWaiting = limit,
  ) {}

  async enter(channelId: string): Promise<boolean> {
    const lane = this.lanes.get(channelId) ?? { inFlight: 0, waiting: [] };
    this.lanes.set(channelId, lane);
    if (lane.inFlight < this.limit) {
      lane.inFlight++;
      return true;
    }
    if (lane.waiting.length >= this.maxWaiting) return false;
    return new Promise<boolean>((resolve) => {
      const handOver = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        lane.waiting.splice(lane.waiting.indexOf(handOver), 1);
        resolve(false);
      }, this.maxWaitMs);
      lane.waiting.push(handOver);
    });
  }

  leave(channelId: string): void {
    const lane = this.lanes.get(channelId);
    if (!lane) return;
    // The slot goes to the next in line, so the count stays as it is.
    const next = lane.waiting.shift();
    if (next) {
      next();
      return;
    }
    lane.inFlight--;
    if (lane.inFlight <= 0) this.lanes.delete(channelId);
  }

  get size(): number {
    return this.lanes.size;
  }
}
