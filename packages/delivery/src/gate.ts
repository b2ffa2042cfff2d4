import type { ChannelGate } from "./attempt.ts";

/**
 * Caps the sends in flight per channel in this process, so a receiver that hangs holds at most
 * `limit` of the worker's slots and every other channel keeps the rest.
 */
export class InFlightGate implements ChannelGate {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limit: number) {}

  tryEnter(channelId: string): boolean {
    const count = this.inFlight.get(channelId) ?? 0;
    if (count >= this.limit) return false;
    this.inFlight.set(channelId, count + 1);
    return true;
  }

  leave(channelId: string): void {
    const count = (this.inFlight.get(channelId) ?? 1) - 1;
    if (count <= 0) this.inFlight.delete(channelId);
    else this.inFlight.set(channelId, count);
  }

  get size(): number {
    return this.inFlight.size;
  }
}
