import { hostNameProblem, type InternalNames, urlHostProblem } from "@upfleet/checks/contracts";
import type { ErrorDetail } from "@upfleet/errors";
import type { z } from "zod";

interface Target {
  /** The field, as the 400 names it ("host", "url", "api_check_steps.0.url"). */
  path: string;
  host: string;
  /** The URL the host came from, when it came from one. */
  url?: string;
}

/** Every host a monitor's checks connect to or ask about, by the field that names it. */
function targets(monitor: Record<string, unknown>): Target[] {
  const found: Target[] = [];
  const fromUrl = (path: string, url: unknown) => {
    // A url with {{variables}} in its host is no URL yet: the worker's guard judges it once filled in.
    if (typeof url !== "string" || !URL.canParse(url)) return;
    const host = new URL(url).hostname;
    if (!host.includes("{")) found.push({ path, host, url });
  };
  if (typeof monitor.host === "string") found.push({ path: "host", host: monitor.host });
  fromUrl("url", monitor.url);
  if (Array.isArray(monitor.api_check_steps)) {
    monitor.api_check_steps.forEach((step: unknown, i) => {
      fromUrl(`api_check_steps.${i}.url`, (step as { url?: unknown } | null)?.url);
    });
  }
  return found;
}

const segment = (part: string) => (/^\d+$/.test(part) ? Number(part) : part);

/**
 * Hosts must be host names (or IP literals) by the rule the worker's spec applies (hostNameProblem:
 * ASCII after IDNA, ≤ 253, labels of 1–63): one the worker refused would fail every tick unseen.
 * A dns monitor's host is a record name, so `_dmarc.example.com` is one.
 */
export function hostRules(type: string, monitor: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const { path, host, url } of targets(monitor)) {
    const problem =
      url === undefined ? hostNameProblem(host, { ipLiterals: true, recordName: type === "dns" }) : urlHostProblem(url);
    if (problem) ctx.addIssue({ code: "custom", path: path.split(".").map(segment), message: problem });
  }
}

/**
 * The deployment's half: a target under an internal name (single-label, `.internal`, `.local`…, the
 * operator's INTERNAL_DNS_SUFFIXES) is refused when written, as the worker would refuse it every tick.
 */
export function internalTargetProblems(
  monitor: Record<string, unknown>,
  names: InternalNames | undefined,
): ErrorDetail[] {
  if (!names) return [];
  return targets(monitor)
    .filter(({ host }) => names.isInternal(host))
    .map(({ path, host }) => ({
      path,
      message: `${host} is an internal name (single-label or under an internal suffix), refused unless the deployment opens it in INTERNAL_DNS_ALLOW_SUFFIXES`,
    }));
}
