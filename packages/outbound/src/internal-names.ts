import { parseIp } from "./address.ts";
import { hostNameProblem, toAsciiName } from "./host-name.ts";

/**
 * Suffixes that name things inside a network, never on the Internet: RFC 6761/6762 (`localhost`,
 * `local`), RFC 8375 (`home.arpa`), ICANN's reserved `internal`, Kubernetes' `cluster.local` and the
 * common router default `lan`. A deployment adds its own zones with INTERNAL_DNS_SUFFIXES.
 */
export const BUILTIN_INTERNAL_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "home.arpa",
  "cluster.local",
  "lan",
] as const;

export interface InternalNamesOptions {
  /** INTERNAL_DNS_SUFFIXES: the deployment's own internal zones, refused like the built-in ones. */
  extraSuffixes?: readonly string[];
  /**
   * INTERNAL_DNS_ALLOW_SUFFIXES: names the operator opens although internal (e.g. `localhost` in tests,
   * `corp.internal` for an intranet the deployment is meant to watch). A single label opens that name.
   */
  allowSuffixes?: readonly string[];
}

/** Decides whether a target name points inside the deployment's network (see BUILTIN_INTERNAL_SUFFIXES). */
export interface InternalNames {
  /**
   * True for a name that is single-label or under an internal suffix, and not opened by the operator.
   * IP literals are not names (the address guard judges them): false. Case, IDNA forms and a trailing
   * dot change nothing; text that is not a name at all is treated as internal.
   */
  isInternal(host: string): boolean;
}

const under = (name: string, suffix: string) => name === suffix || name.endsWith(`.${suffix}`);

export function createInternalNames(options: InternalNamesOptions = {}): InternalNames {
  const refused = [...BUILTIN_INTERNAL_SUFFIXES, ...(options.extraSuffixes ?? []).map(toAsciiName)];
  const opened = (options.allowSuffixes ?? []).map(toAsciiName);
  return {
    isInternal(host) {
      const bare = host.replace(/^\[(.*)\]$/, "$1");
      if (parseIp(bare)) return false;
      const name = toAsciiName(bare);
      if (name === "") return true;
      if (opened.some((suffix) => under(name, suffix))) return false;
      return !name.includes(".") || refused.some((suffix) => under(name, suffix));
    },
  };
}

/**
 * Splits an INTERNAL_DNS_SUFFIXES / INTERNAL_DNS_ALLOW_SUFFIXES value ("corp.example, svc") into
 * normalised suffixes (ASCII, lower case, no leading or trailing dot). Throws naming an entry that is
 * not a DNS name, so a typo stops the process instead of silently refusing or opening nothing.
 */
export function parseSuffixList(text: string): string[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const bare = entry.replace(/^\./, "");
      const problem = hostNameProblem(bare, { recordName: true });
      if (problem) throw new Error(`Invalid DNS suffix "${entry}": ${problem}`);
      return toAsciiName(bare);
    });
}
