import { decrypt, encrypt, isEncrypted, reencrypt } from "./cipher.ts";
import type { Keyring } from "./keyring.ts";
import { isMasked, maskValue, userInfoOf, withUserInfo } from "./mask.ts";

/**
 * A JSON document (a monitor's settings, a channel's config) stored with its credentials masked in
 * place and encrypted under `_sealed`. Whatever reads the stored document without the key (payloads,
 * exports, the API's reads) can only ever see the masked form; only openDocument, where values are
 * sent, gets them back.
 */
export const SEALED_FIELD = "_sealed";

export type Path = (string | number)[];

/** Where a credential sits in a document: a whole string, or a URL's user info. */
export interface Credential {
  path: Path;
  part?: "userinfo";
  /** How reads show it; `••••` and the last 4 characters of long values by default. */
  mask?: (value: string) => string;
}

interface SealedEntry {
  path: Path;
  part?: "userinfo";
  value: string;
}

type Doc = Record<string, unknown>;

/** A credential sent back in its masked form that is not the stored one's: refused, naming it. */
export class MaskedValueError extends Error {
  override name = "MaskedValueError";
  constructor(readonly path: Path) {
    super(`${path.join(".")} is a masked value that does not match the stored one: send the value itself`);
  }
}

const samePlace = (a: { path: Path; part?: string | undefined }, b: { path: Path; part?: string | undefined }) =>
  a.part === b.part && a.path.length === b.path.length && a.path.every((key, i) => key === b.path[i]);

function getAt(doc: unknown, path: Path): unknown {
  let node: unknown = doc;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function setAt(doc: unknown, path: Path, value: unknown): void {
  let node = doc as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

/** The credential's current text (null when absent, e.g. a URL without user info). */
function textAt(doc: unknown, place: { path: Path; part?: "userinfo" | undefined }): string | null {
  const value = getAt(doc, place.path);
  if (typeof value !== "string") return null;
  return place.part === "userinfo" ? userInfoOf(value) : value;
}

function putText(doc: unknown, place: { path: Path; part?: "userinfo" | undefined }, text: string): void {
  if (place.part === "userinfo") setAt(doc, place.path, withUserInfo(getAt(doc, place.path) as string, text));
  else setAt(doc, place.path, text);
}

function entriesOf(doc: unknown): SealedEntry[] | null {
  const entries = (doc as Doc | null)?.[SEALED_FIELD];
  if (!Array.isArray(entries)) return null;
  return entries.filter(
    (entry): entry is SealedEntry =>
      typeof entry === "object" && entry !== null && Array.isArray(entry.path) && isEncrypted(entry.value),
  );
}

/** Whether the document was stored sealed (documents written before encryption at rest are not). */
export function isSealed(doc: unknown): boolean {
  return entriesOf(doc) !== null;
}

const clone = <T>(doc: T): T => structuredClone(doc);

/**
 * The document to store. `previous` is the stored document it replaces: a credential sent back in
 * its masked form keeps the stored value (a client that reads, edits another field and writes the
 * whole object back must not lose its credentials); a masked form that is not the stored one's is a
 * MaskedValueError.
 */
export function sealDocument<T extends object>(
  doc: T,
  credentials: Credential[],
  ring: Keyring,
  previous?: unknown,
): T {
  const sealed = clone(doc) as Doc;
  delete sealed[SEALED_FIELD];
  const previousEntries = previous === undefined ? null : entriesOf(previous);
  const entries: SealedEntry[] = [];
  for (const credential of credentials) {
    const text = textAt(sealed, credential);
    if (text === null) continue;
    const mask = credential.mask ?? ((value: string) => maskValue(value));
    const place = { path: credential.path, ...(credential.part ? { part: credential.part } : {}) };
    let value: string | null = null;
    let shown = "";
    if (previous !== undefined) {
      const stored = textAt(previous, credential);
      if (previousEntries) {
        const entry = previousEntries.find((e) => samePlace(e, credential));
        if (entry && stored === text) [value, shown] = [entry.value, text];
      } else if (stored !== null && mask(stored) === text) {
        [value, shown] = [encrypt(ring, stored), text];
      }
    }
    if (value === null) {
      if (isMasked(text)) throw new MaskedValueError(credential.path);
      [value, shown] = [encrypt(ring, text), mask(text)];
    }
    putText(sealed, credential, shown);
    entries.push({ ...place, value });
  }
  sealed[SEALED_FIELD] = entries;
  return sealed as T;
}

/** The document with its real credentials, for sending; an unsealed (legacy) one is already plain. */
export function openDocument<T>(doc: T, ring: Keyring): T {
  const entries = entriesOf(doc);
  if (!entries) return doc;
  const open = clone(doc) as Doc;
  delete open[SEALED_FIELD];
  for (const entry of entries) {
    if (textAt(open, entry) === null) continue;
    putText(open, entry, decrypt(ring, entry.value));
  }
  return open as T;
}

/** The document as every reader sees it: no `_sealed`, each credential masked (legacy ones too). */
export function maskedDocument<T>(doc: T, credentials: Credential[]): T {
  if (doc === null || typeof doc !== "object") return doc;
  const shown = clone(doc) as Doc;
  delete shown[SEALED_FIELD];
  for (const credential of credentials) {
    const text = textAt(shown, credential);
    if (text === null) continue;
    putText(shown, credential, (credential.mask ?? ((value: string) => maskValue(value)))(text));
  }
  return shown as T;
}

/**
 * The document with every credential under the current key (`secrets:rotate`): a legacy one is
 * sealed, a sealed one has its values re-encrypted. `changed` is false when nothing needed it.
 */
export function rotateDocument<T extends object>(
  doc: T,
  credentials: Credential[],
  ring: Keyring,
): { doc: T; changed: boolean } {
  const entries = entriesOf(doc);
  if (!entries) return { doc: sealDocument(doc, credentials, ring), changed: true };
  const rotated = entries.map((entry) => ({ ...entry, value: reencrypt(ring, entry.value) }));
  const changed = rotated.some((entry, i) => entry.value !== entries[i]!.value);
  return changed ? { doc: { ...doc, [SEALED_FIELD]: rotated }, changed } : { doc, changed };
}
