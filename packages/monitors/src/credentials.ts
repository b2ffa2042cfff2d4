import { ValidationError } from "@upfleet/errors";
import {
  type Credential,
  type Keyring,
  MaskedValueError,
  maskedDocument,
  maskValue,
  openDocument,
  sealDocument,
} from "@upfleet/secrets";

/**
 * A monitor's credentials (API.md "Credentials in monitors"): header values, api-step header values
 * and the user info of its URLs. Write-only: stored sealed (masked in place, encrypted aside), shown
 * masked, opened only to build the check a worker runs.
 */
type Settings = Record<string, unknown>;

// User info shows no tail: the last characters of `user:password` are the password's.
const userInfo = (path: (string | number)[]): Credential => ({
  path,
  part: "userinfo",
  mask: (value) => maskValue(value, { tail: false }),
});

const headerCredentials = (headers: unknown, path: (string | number)[]): Credential[] =>
  headers && typeof headers === "object" ? Object.keys(headers).map((name) => ({ path: [...path, name] })) : [];

export function monitorCredentials(settings: Settings): Credential[] {
  const credentials: Credential[] = [];
  if (typeof settings.url === "string") credentials.push(userInfo(["url"]));
  credentials.push(...headerCredentials(settings.http_headers, ["http_headers"]));
  if (Array.isArray(settings.api_check_steps)) {
    settings.api_check_steps.forEach((step: unknown, i) => {
      if (!step || typeof step !== "object") return;
      const { url, headers } = step as Settings;
      if (typeof url === "string") credentials.push(userInfo(["api_check_steps", i, "url"]));
      credentials.push(...headerCredentials(headers, ["api_check_steps", i, "headers"]));
    });
  }
  return credentials;
}

/**
 * The settings to store. Against `previous` (the stored settings), a credential sent back masked
 * keeps its stored value; a masked value that is not the stored one's is a 400 naming the field.
 */
export function sealSettings(settings: Settings, ring: Keyring, previous?: unknown): Settings {
  try {
    return sealDocument(settings, monitorCredentials(settings), ring, previous);
  } catch (error) {
    if (!(error instanceof MaskedValueError)) throw error;
    throw new ValidationError([
      {
        path: error.path.join("."),
        message: "is a masked value that does not match the stored one; send the value itself, or omit it to keep it",
      },
    ]);
  }
}

/** The settings as every reader sees them (rows written before encryption at rest masked too). */
export function shownSettings(settings: unknown): Settings {
  const s = (settings ?? {}) as Settings;
  return maskedDocument(s, monitorCredentials(s));
}

/** The settings with their real credentials: only for the check spec a worker runs. */
export function openSettings(settings: unknown, ring: Keyring): Settings {
  return openDocument((settings ?? {}) as Settings, ring);
}
