import { domainToASCII } from "node:url";
import { parseIp } from "./address.ts";

export const HOST_NAME_MAX_LENGTH = 253;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// DNS record names (`_dmarc`, `_sip._tcp`) may carry underscores; host names may not.
const RECORD_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
// ASCII that may appear in a name before IDNA: letters, digits, dot, dash, underscore. Anything else
// ASCII ("%", "/", ":", space…) is refused rather than decoded or dropped by domainToASCII.
const isOutsideNames = (text: string) =>
  [...text].some((char) => char.charCodeAt(0) < 0x80 && !/^[A-Za-z0-9._-]$/.test(char));

/**
 * A name in the form DNS sends it: IDNA to ASCII (so `ｌｏｃａｌｈｏｓｔ` is `localhost`), lower case,
 * without a trailing dot. Returns "" when it is no name at all.
 */
export function toAsciiName(name: string): string {
  return domainToASCII(name.replace(/\.$/, "")).toLowerCase();
}

export interface HostNameRules {
  /** Allows `_` in labels: a DNS record name (`_dmarc.example.com`), not a host to connect to. */
  recordName?: boolean;
  /** Accepts IP literals (IPv6 with or without brackets) as they are. */
  ipLiterals?: boolean;
}

/**
 * Why `text` is not a host name (or, with `ipLiterals`, an IP address), or null when it is one:
 * ASCII after IDNA, at most 253 characters, labels of 1–63 letters, digits and dashes not starting or
 * ending with a dash. Counted on the ASCII form, so 60 emoji are the 250-odd characters DNS would send.
 * One rule for the API's schemas and the worker's spec, so both agree on every host.
 */
export function hostNameProblem(text: string, rules: HostNameRules = {}): string | null {
  if (rules.ipLiterals && parseIp(text) !== null) return null;
  if (text.length === 0) return "must not be empty";
  if (isOutsideNames(text)) return "must be a host name (letters, digits, dots and dashes)";
  const ascii = toAsciiName(text);
  if (ascii === "") return "must be a host name (its international form is not valid)";
  if (ascii.length > HOST_NAME_MAX_LENGTH) return `must be at most ${HOST_NAME_MAX_LENGTH} characters as ASCII`;
  const label = rules.recordName ? RECORD_LABEL : LABEL;
  for (const part of ascii.split(".")) {
    if (part.length === 0) return "must not have an empty label";
    if (part.length > 63) return "must have labels of at most 63 characters";
    if (!label.test(part)) {
      return rules.recordName
        ? "must have labels of letters, digits, dashes and underscores, not starting or ending with a dash"
        : "must have labels of letters, digits and dashes, not starting or ending with a dash";
    }
  }
  return null;
}
