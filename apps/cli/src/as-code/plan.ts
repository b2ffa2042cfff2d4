import type { UpfleetClient } from "@upfleet/sdk";
import { allPages } from "../context.ts";
import type { FileItem, Section, UpfleetFile } from "./file.ts";
import { KINDS, type Kind, Refs, toApi, toFile } from "./kinds.ts";

type Obj = Record<string, unknown>;

/** The few calls apply makes, on any kind's collection (the SDK's typed client, addressed by path). */
export interface Rest {
  list(kind: Kind): Promise<Obj[]>;
  create(kind: Kind, body: Obj): Promise<Obj>;
  update(kind: Kind, id: string, body: Obj): Promise<Obj>;
  remove(kind: Kind, id: string): Promise<void>;
}

interface Call {
  params?: { path?: Obj; query?: Obj };
  body?: Obj;
}
type Method = (path: string, init: Call) => Promise<{ data?: unknown }>;

export function rest(client: UpfleetClient): Rest {
  const api = client.api as unknown as Record<"GET" | "POST" | "PATCH" | "DELETE", Method>;
  const one = (kind: Kind, id: string) => ({ path: `${kind.path}/{id}`, params: { path: { id } } });
  return {
    list: (kind) =>
      allPages(
        async (cursor) =>
          (await api.GET(kind.path, { params: { query: { limit: 200, cursor } } })).data as {
            data: Obj[];
            next_cursor: string | null;
          },
      ),
    create: async (kind, body) => (await api.POST(kind.path, { body })).data as Obj,
    update: async (kind, id, body) => {
      const { path, params } = one(kind, id);
      return (await api.PATCH(path, { params, body })).data as Obj;
    },
    remove: async (kind, id) => {
      const { path, params } = one(kind, id);
      await api.DELETE(path, { params });
    },
  };
}

interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

export type Step =
  | { action: "create"; kind: Kind; key: string; item: FileItem; index: number }
  | { action: "update"; kind: Kind; key: string; item: FileItem; index: number; id: string; changes: Change[] }
  | { action: "delete"; kind: Kind; key: string; id: string };

/** The organization's resources of every kind, as the API returns them, and their ids and keys. */
export interface State {
  items: Map<Section, Obj[]>;
  refs: Refs;
}

export async function readState(api: Rest): Promise<State> {
  const refs = new Refs();
  const lists = await Promise.all(KINDS.map((kind) => api.list(kind)));
  const items = new Map<Section, Obj[]>();
  KINDS.forEach((kind, i) => {
    items.set(kind.section, lists[i]!);
    for (const obj of lists[i]!) refs.set(kind.section, obj.key as string | null, obj.id as string);
  });
  return { items, refs };
}

/** How the API shows a credential it keeps write-only: masked in place (`whsec_••••abcd`, `https://host/••••`). */
export const MASK = "••••";
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Whether the server's value is what the file asks for. Only what the file writes is compared, at every
 * depth, so defaults the server fills in are no change; a masked credential matches any value it could
 * be the mask of (a changed secret with the same last 4 characters goes unseen); instants compare as
 * instants (`…:00Z` is `….000Z`).
 */
function same(want: unknown, have: unknown): boolean {
  if (typeof want === "string" && typeof have === "string") {
    const masked = have.indexOf(MASK);
    if (masked >= 0 && want !== have) {
      const [head, tail] = [have.slice(0, masked), have.slice(masked + MASK.length)];
      return want.length >= head.length + tail.length && want.startsWith(head) && want.endsWith(tail);
    }
    if (INSTANT.test(want) && INSTANT.test(have)) return Date.parse(want) === Date.parse(have);
    return want === have;
  }
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((value, i) => same(value, have[i]));
  }
  if (want !== null && typeof want === "object") {
    if (have === null || typeof have !== "object" || Array.isArray(have)) return false;
    return Object.entries(want).every(([field, value]) => same(value, (have as Obj)[field]));
  }
  return want === have;
}

function changesOf(item: FileItem, current: FileItem): Change[] {
  return Object.entries(item)
    .filter(([field, value]) => field !== "key" && !same(value, current[field]))
    .map(([field, value]) => ({ field, from: current[field], to: value }));
}

/**
 * What makes the organization's keyed resources what the file says: creates and updates in dependency
 * order, then (with `prune`) deletes of keyed resources the file no longer has, in reverse: only of the
 * kinds the file has a list of. Resources without a key are never touched. Every reference in the file is resolved here, so a dangling one
 * fails before anything is written.
 */
export function plan(file: UpfleetFile, state: State, prune: boolean): Step[] {
  const steps: Step[] = [];
  const deletes: Step[] = [];
  for (const kind of KINDS) {
    const items = file[kind.section] as FileItem[] | undefined;
    if (items === undefined) continue;
    const existing = new Map(
      (state.items.get(kind.section) ?? []).filter((obj) => obj.key !== null).map((obj) => [obj.key as string, obj]),
    );
    for (const item of items) {
      if (!existing.has(item.key)) state.refs.set(kind.section, item.key, `new:${item.key}`);
    }
    items.forEach((item, index) => {
      toApi(kind, item, index, state.refs);
      const current = existing.get(item.key);
      if (!current) {
        steps.push({ action: "create", kind, key: item.key, item, index });
        return;
      }
      const changes = changesOf(item, toFile(kind, current, state.refs));
      const id = current.id as string;
      if (changes.length) steps.push({ action: "update", kind, key: item.key, item, index, id, changes });
    });
    if (!prune) continue;
    const kept = new Set(items.map((item) => item.key));
    for (const [key, obj] of existing) {
      if (!kept.has(key)) deletes.unshift({ action: "delete", kind, key, id: obj.id as string });
    }
  }
  return [...steps, ...deletes];
}
