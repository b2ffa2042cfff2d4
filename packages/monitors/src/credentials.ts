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
import { z } from "zod";
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

/** Where a settings document keeps credentials: a field of another shape carries none. */
const Text = z.string().optional().catch(undefined);
const Headers = z.record(z.string(), z.unknown()).optional().catch(undefined);
const CredentialPlaces = z.object({
  url: Text,
  http_headers: Headers,
  // A step of another shape is kept as {} so the steps' indexes stay those of the document.
  api_check_steps: z
    .array(z.object({ url: Text, headers: Headers }).catch({}))
    .optional()
    .catch(undefined),
});

const placesOf = (settings: unknown) => CredentialPlaces.parse(settingsDocument(settings));

const headerCredentials = (headers: Record<string, unknown> | undefined, path: (string | number)[]): Credential[] =>
  Object.keys(headers ?? {}).map((name) => ({ path: [...path, name] }));

export function monitorCredentials(settings: unknown): Credential[] {
  const places = placesOf(settings);
  const credentials: Credential[] = [];
  if (places.url !== undefined) credentials.push(userInfo(["url"]));
  credentials.push(...headerCredentials(places.http_headers, ["http_headers"]));
  places.api_check_steps?.forEach(({ url, headers }, i) => {
    if (url !== undefined) credentials.push(userInfo(["api_check_steps", i, "url"]));
    credentials.push(...headerCredentials(headers, ["api_check_steps", i, "headers"]));
  });
  return credentials;
}

/** Where a credential is sent: the origin of the URL it belongs with (the monitor's, or its step's). */
function destinationOf(settings: unknown, path: (string | number)[]): string | null {
  const places = placesOf(settings);
  const url = path[0] === "api_check_steps" ? places.api_check_steps?.[Number(path[1])]?.url : places.url;
  if (url === undefined) return null;
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
