import { maskUrlUserInfo } from "@upfleet/secrets";
import { type MonitorSettings, readSettings } from "./settings.ts";

function targetOf(settings: MonitorSettings): string | null {
  switch (settings.type) {
    case "http":
      return maskUrlUserInfo(settings.url);
    case "ssl":
      return settings.url === undefined ? (settings.host ?? null) : maskUrlUserInfo(settings.url);
    case "tcp":
      return `${settings.host}:${settings.tcp_port}`;
    case "dns":
    case "ping":
      return settings.host;
    default:
      return null;
  }
}

/**
 * What a person recognises a monitor by in a notification: its URL (user info masked, as the
 * payload goes to whoever reads the channel), or host[:port]. Null for types with neither, and for
 * settings that do not parse: a notification still goes out, without it.
 */
export function monitorTarget(type: string, stored: unknown): string | null {
  const settings = readSettings(type, stored);
  return settings && targetOf(settings);
}
