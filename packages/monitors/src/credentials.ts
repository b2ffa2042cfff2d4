import { ValidationError } from "@upfleet/errors";
import {
  type Credential,
  isMasked,
  type Keyring,
  MaskedValueError,
  maskedDocument,
  maskValue,
  openDocument,
  sealDocument,
  userInfoOf,
} from "@upfleet/secrets";
import { settingsDocument } from "./settings.ts";

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

/** Where a credential is sent: the origin of the URL it belongs with (the monitor's, or its step's). */
function destinationOf(settings: unknown, path: (string | number)[]): string | null {
  const s = settingsDocument(settings);
  const url =
    path[0] === "api_check_steps" ? (s.api_check_steps as Settings[] | undefined)?.[path[1] as number]?.url : s.url;
  if (typeof url !== "string") return null;
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * A credential kept from the stored settings (omitted, or sent back masked) may only go where it
 * went before: otherwise anyone who may edit a monitor but not read its credentials could point it
 * at their own server and receive them.
 */
function assertKeptCredentialsStay(settings: Settings, previous: unknown): void {
  const moved = monitorCredentials(settings).filter((credential) => {
    const path = credential.path;
    let value: unknown = settings;
    for (const key of path) value = (value as Record<string | number, unknown> | undefined)?.[key];
    const text = typeof value === "string" && credential.part === "userinfo" ? userInfoOf(value) : value;
    return (
      typeof text === "string" && isMasked(text) && destinationOf(settings, path) !== destinationOf(previous, path)
    );
  });
  if (moved.length === 0) return;
  throw new ValidationError(
    moved.map((credential) => ({
      path: credential.path.join("."),
      message: "keeps a stored credential while its URL points elsewhere; send the value itself again",
    })),
  );
}

/**
 * The settings to store. Against `previous` (the stored settings), a credential sent back masked
 * keeps its stored value if its URL still points where it did; a masked value that is not the stored
 * one's is a 400 naming the field.
 */
export function sealSettings(settings: Settings, ring: Keyring, previous?: unknown): Settings {
  if (previous !== undefined) assertKeptCredentialsStay(settings, previous);
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
  const s = settingsDocument(settings);
  return maskedDocument(s, monitorCredentials(s));
}

/** The settings with their real credentials: only for the check spec a worker runs. */
export function openSettings(settings: unknown, ring: Keyring): Settings {
  return openDocument(settingsDocument(settings), ring);
}
