import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Cidr = [Address, number];

const v6 = (cidr: string) => ipaddr.IPv6.parseCIDR(cidr);

// Prefixes whose low bits carry an IPv4 address the packet ends up at; a target is judged on that IPv4.
const IPV4_MAPPED = v6("::ffff:0:0/96");
const IPV4_COMPATIBLE = v6("::/96");
const NAT64 = v6("64:ff9b::/96");
const SIX_TO_FOUR = v6("2002::/16");
const TEREDO = v6("2001::/32");
// Only 2000::/3 is allocated as global unicast; ipaddr.js calls everything it has no name for "unicast",
// so anything outside this prefix (e.g. 64:ff9b:1::/48, fec0::/10, 5f00::/16) is refused by default.
const GLOBAL_UNICAST = v6("2000::/3");
// Inside 2000::/3 but not public, and unnamed by ipaddr.js 2.x: documentation (RFC 9637).
const EXTRA_V6_BLOCKED: [string, Cidr][] = [["documentation", v6("3fff::/20")]];

/** Parses an IP literal, accepting only canonical dotted-quad IPv4 (not "127.1" or "0x7f.1"). */
export function parseIp(text: string): Address | null {
  const host = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return ipaddr.IPv4.parse(host);
  if (ipaddr.IPv6.isValid(host)) return ipaddr.IPv6.parse(host);
  return null;
}

/** Parses "a.b.c.d/n" or "x::/n"; a bare address means that single host. Returns null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const [ip, bits, extra] = text.split("/");
  if (ip === undefined || extra !== undefined) return null;
  const address = parseIp(ip);
  if (!address || (address.kind() === "ipv6" && (address as ipaddr.IPv6).zoneId)) return null;
  const max = address.kind() === "ipv4" ? 32 : 128;
  if (bits === undefined) return [address, max];
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return [address, Number(bits)];
}

export function inCidr(address: Address, [network, bits]: Cidr): boolean {
  return address.kind() === network.kind() && address.match(network, bits);
}

function ipv4At(parts: number[], index: number, xor = 0): ipaddr.IPv4 {
  const value = ((((parts[index] ?? 0) << 16) | (parts[index + 1] ?? 0)) ^ xor) >>> 0;
  return new ipaddr.IPv4([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
}

/** The IPv4 addresses an IPv6 address hands traffic to, with the form's name; null if it embeds none. */
function embeddedIpv4(address: ipaddr.IPv6): { form: string; targets: ipaddr.IPv4[] } | null {
  const { parts } = address;
  if (inCidr(address, IPV4_MAPPED)) return { form: "IPv4-mapped", targets: [ipv4At(parts, 6)] };
  if (inCidr(address, NAT64)) return { form: "NAT64", targets: [ipv4At(parts, 6)] };
  if (inCidr(address, SIX_TO_FOUR)) return { form: "6to4", targets: [ipv4At(parts, 1)] };
  // Teredo carries the relay server (bits 32–63) and the client's public address, bit-inverted (96–127):
  // traffic goes through both, so both must be acceptable.
  if (inCidr(address, TEREDO)) return { form: "Teredo", targets: [ipv4At(parts, 2), ipv4At(parts, 6, 0xffffffff)] };
  if (inCidr(address, IPV4_COMPATIBLE)) return { form: "IPv4-compatible", targets: [ipv4At(parts, 6)] };
  return null;
}

/**
 * Why an address is not a public destination ("loopback", "private", "IPv4-mapped loopback", …),
 * or null when it is public. Allow-lists are applied by the guard, not here.
 */
export function nonPublicReason(address: Address, isAllowed: (a: Address) => boolean = () => false): string | null {
  if (address.kind() === "ipv4") {
    const range = address.range();
    return range === "unicast" ? null : range;
  }
  const ip6 = address as ipaddr.IPv6;
  const range = ip6.range();
  // :: and ::1 sit inside ::/96 too, but they are their own thing, not an embedded 0.0.0.x.
  if (range === "unspecified" || range === "loopback") return range;
  const embedded = embeddedIpv4(ip6);
  if (embedded) {
    for (const target of embedded.targets) {
      if (isAllowed(target)) continue;
      const reason = nonPublicReason(target);
      if (reason) return `${embedded.form} ${reason}`;
    }
    return null;
  }
  if (!inCidr(ip6, GLOBAL_UNICAST)) return range === "unicast" ? "not global unicast" : range;
  if (range !== "unicast") return range;
  for (const [name, cidr] of EXTRA_V6_BLOCKED) if (inCidr(ip6, cidr)) return name;
  return null;
}
