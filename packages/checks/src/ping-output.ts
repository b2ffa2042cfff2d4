/** What one run of iputils `ping -n` printed, reduced to the numbers a check reports. */
export interface PingSummary {
  transmitted: number;
  received: number;
  /** Percent of probes without an echo reply. */
  lossPercent: number;
  /** Round-trip times in milliseconds; null when no reply came. */
  rtt: { min: number; avg: number; max: number } | null;
  /** An ICMP error a router or the target sent back ("Destination Host Unreachable"), if any. */
  icmpError: string | null;
}

const STATS = /(\d+) packets transmitted, (\d+) received(?:, \+\d+ errors)?, ([\d.]+)% packet loss/;
const RTT = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\/[\d.]+ ms/;
// iputils prints routers' answers as "From <addr> icmp_seq=N <what>".
const ICMP_ERROR = /^From \S+ icmp_seq=\d+ (.*(?:Unreachable|filtered|exceeded|Redirect).*)$/m;

/** Parses ping's summary; null when it printed none (killed at the deadline, or it failed to start). */
export function parsePingOutput(output: string): PingSummary | null {
  const stats = STATS.exec(output);
  if (!stats) return null;
  const rtt = RTT.exec(output);
  return {
    transmitted: Number(stats[1]),
    received: Number(stats[2]),
    lossPercent: Number(stats[3]),
    rtt: rtt ? { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]) } : null,
    icmpError: ICMP_ERROR.exec(output)?.[1]?.trim() ?? null,
  };
}
