import { randomFillSync } from "node:crypto";
import { encodeTime, monotonicFactory } from "ulid";

/** Prefixes make an id say what it names, in logs and support tickets alike. */
export const ID_PREFIXES = {
  organization: "org",
  user: "usr",
  apiKey: "key",
  request: "req",
  monitor: "mon",
  check: "chk",
  incident: "inc",
  incidentUpdate: "upd",
  channel: "chn",
  rule: "rul",
  escalationPolicy: "esc",
  delivery: "dlv",
  notification: "ntf",
  heartbeatRun: "run",
  event: "evt",
  ping: "png",
  worker: "wrk",
  maintenanceWindow: "mnt",
  export: "exp",
  statusPage: "stp",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type Prefix<K extends IdKind> = (typeof ID_PREFIXES)[K];

/**
 * ulid's default PRNG makes one crypto call per character (16 per id), a few % of the API's CPU
 * under load (every request gets an id). The same CSPRNG bytes, drawn 4 KiB at a time.
 */
function bufferedRandom(): () => number {
  const pool = Buffer.alloc(4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}

const ulid = monotonicFactory(bufferedRandom());

/**
 * `mon_01J…`: a ULID after the prefix, so ids sort by creation time and lists can page on them.
 * Lower case keeps them easy to read aloud and paste.
 */
export function newId<K extends IdKind>(kind: K): `${Prefix<K>}_${string}` {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`;
}

export function hasPrefix(kind: IdKind, id: string): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}

/**
 * The lowest id of `kind` made at `at`: every id made earlier sorts below it, so `id < idAt(kind, t)`
 * selects rows created before t through an index on the id.
 */
export function idAt(kind: IdKind, at: Date): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(at.getTime(), 10).toLowerCase()}${"0".repeat(16)}`;
}
