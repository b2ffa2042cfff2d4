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

/**
 * Splits a CHECK_DNS_RESOLVERS value ("9.9.9.9, [2620:fe::fe]:53") into the `ip:port` / `[ip]:port`
 * form node:dns `setServers` takes. Throws naming the first invalid entry, so a typo stops the worker
 * instead of silently falling back to the system's resolvers.
 */
export function parseResolverList(text: string): string[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const server = parseResolverAddress(entry);
      if (!server) throw new Error(`Invalid resolver "${entry}": expected ip[:port], IPv6 in brackets`);
      return isIP(server.ip) === 6 ? `[${server.ip}]:${server.port}` : `${server.ip}:${server.port}`;
    });
}
