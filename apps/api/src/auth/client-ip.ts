import { isIPv4, isIPv6 } from "node:net";

/** What a per-IP limiter needs of a request: an Express request or a bare IncomingMessage. */
export interface IpSource {
  ip?: string | undefined;
  socket: { remoteAddress?: string | undefined };
}

/**
 * The client's address: Express's `req.ip` where there is one (it honours TRUST_PROXY), else the
 * socket's own address.
 */
function clientIp(req: IpSource): string | undefined {
  return req.ip || req.socket.remoteAddress || undefined;
}

/**
 * The key every per-IP limiter in the API counts under. An IPv6 client usually holds a whole /64
 * (one customer's LAN or one VPS), so keying by full address would give it 2^64 fresh budgets;
 * addresses in one /64 share a bucket. IPv4 (and IPv4-mapped IPv6, `::ffff:1.2.3.4`) is keyed by
 * the full address.
 */
export function clientIpBucket(req: IpSource): string {
  return ipBucket(clientIp(req));
}

/** `ipBucket` for a bare address string: `4:<address>`, `6:<first four hextets>::/64`, or `unknown`. */
export function ipBucket(address: string | undefined): string {
  if (!address) return "unknown";
  const bare = address.replace(/%.*$/, "");
  if (isIPv4(bare)) return `4:${bare}`;
  if (!isIPv6(bare)) return "unknown";
  const groups = expandIPv6(bare);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [high, low] = [groups[6]!, groups[7]!];
    return `4:${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return `6:${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(":").map((group) => Number.parseInt(group, 16)) : []);
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
