import { isIP } from "node:net";

const DNS_PORT = 53;
/** Longest `dns_resolver` a monitor may name; the longest real one ("[ipv6]:port") is 53 characters. */
export const RESOLVER_MAX_LENGTH = 64;

/**
 * `1.2.3.4`, `1.2.3.4:5353`, `[::1]` or `[::1]:5353` → its address and port; null when it is none of these.
 * The API validates a monitor's resolver with it and the dns check reads it with it, so both agree.
 */
export function parseResolverAddress(text: string): { ip: string; port: number } | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match) return null;
  const ip = match[1] ?? match[2]!;
  const port = match[3] === undefined ? DNS_PORT : Number(match[3]);
  if (isIP(ip) === 0 || port < 1 || port > 65535) return null;
  return { ip, port };
}
