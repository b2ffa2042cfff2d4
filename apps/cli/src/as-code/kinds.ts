import { usageError } from "../exit-codes.ts";
import { type FileItem, filePath, type Section } from "./file.ts";

type Obj = Record<string, unknown>;

/** A field that names other resources: by key in the file, by id in the API. */
export interface RefField {
  file: string;
  api: string;
  to: Section;
  many: boolean;
}

/**
 * Ids and keys of the organization's resources and the file's new ones (`new:<key>` until created).
 * A file may also name a resource without a key by its id (an export of keyed items that point at one).
 */
export class Refs {
  private readonly ids = new Map<string, string>();
  private readonly keys = new Map<string, string>();

  set(section: Section, key: string | null, id: string): void {
    this.ids.set(`${section}\n${id}`, id);
    if (key === null) return;
    this.ids.set(`${section}\n${key}`, id);
    this.keys.set(id, key);
  }

  /** The id of `key` (or of an id), or a usage error naming where the file asked for it. */
  id(section: Section, key: string, path: PropertyKey[]): string {
    const id = this.ids.get(`${section}\n${key}`);
    if (id === undefined) throw usageError(`${filePath(path)}: no ${section} has the key "${key}"`);
    return id;
  }

  /** The key of the resource `id` names, or the id itself for one without a key. */
  key(id: string): string {
    return this.keys.get(id) ?? id;
  }
}

/** What apply needs to know of one kind of resource. */
export interface Kind {
  section: Section;
  noun: string;
  /** Its collection under the API's origin. */
  path: string;
  /** What the API returns but no one writes: left out of an export. */
  readOnly: string[];
  /** Fields that read back null when unset but cannot be written as null: left out of an export then. */
  unsetWhenNull?: string[];
  refs: RefField[];
  /** A list of objects whose items carry references (a policy's steps, a page's sections). */
  nested?: { field: string; refs: RefField[] };
}

const ref = (file: string, api: string, to: Section, many = true): RefField => ({ file, api, to, many });
const COMMON_READ_ONLY = ["id", "created_at", "updated_at"];

/** In dependency order: apply creates and updates in it, and deletes in reverse. */
export const KINDS: Kind[] = [
  {
    section: "channels",
    noun: "channel",
    path: "/api/v1/notifications/channels",
    readOnly: [...COMMON_READ_ONLY, "disabled_reason"],
    refs: [],
  },
  {
    section: "escalation_policies",
    noun: "escalation policy",
    path: "/api/v1/escalation-policies",
    readOnly: COMMON_READ_ONLY,
    refs: [],
    nested: { field: "steps", refs: [ref("channels", "channel_ids", "channels")] },
  },
  {
    section: "monitors",
    noun: "monitor",
    path: "/api/v1/monitors",
    readOnly: [
      ...COMMON_READ_ONLY,
      "status",
      "last_checked_at",
      "last_status",
      "last_response_ms",
      "last_error",
      "uptime_24h",
      "avg_response_ms",
      "response_ms_24h",
      "heartbeat_token",
      "heartbeat_url",
      "heartbeat_last_ping_at",
      "heartbeat_next_expected_at",
    ],
    // A heartbeat on a schedule has no interval: it reads null, and a create with null is refused.
    unsetWhenNull: ["interval_seconds"],
    refs: [ref("escalation_policy", "escalation_policy_id", "escalation_policies", false)],
  },
  {
    section: "rules",
    noun: "rule",
    path: "/api/v1/notifications/rules",
    readOnly: COMMON_READ_ONLY,
    refs: [
      ref("channels", "channel_ids", "channels"),
      ref("monitors", "monitor_ids", "monitors"),
      ref("escalation_policy", "escalation_policy_id", "escalation_policies", false),
    ],
  },
  {
    section: "maintenance_windows",
    noun: "maintenance window",
    path: "/api/v1/maintenance-windows",
    readOnly: [...COMMON_READ_ONLY, "active", "next_occurrence"],
    refs: [ref("monitors", "monitor_ids", "monitors")],
  },
  {
    section: "status_pages",
    noun: "status page",
    path: "/api/v1/status-pages",
    readOnly: [...COMMON_READ_ONLY, "custom_domain_verified", "custom_domain_verification"],
    refs: [],
    nested: { field: "sections", refs: [ref("monitors", "monitor_ids", "monitors")] },
  },
];

/** Renames each reference field from `from` to `to`, mapping its values; null (all, none) stays null. */
function mapRefs(
  obj: Obj,
  fields: RefField[],
  direction: "toApi" | "toFile",
  map: (id: unknown, f: RefField, i?: number) => unknown,
) {
  const out = { ...obj };
  for (const field of fields) {
    const [from, to] = direction === "toApi" ? [field.file, field.api] : [field.api, field.file];
    if (!(from in out)) continue;
    const value = out[from];
    delete out[from];
    out[to] =
      value === null ? null : field.many ? (value as unknown[]).map((v, i) => map(v, field, i)) : map(value, field);
  }
  return out;
}

function translate(
  kind: Kind,
  obj: Obj,
  direction: "toApi" | "toFile",
  map: (v: unknown, f: RefField, path: PropertyKey[]) => unknown,
) {
  const out = mapRefs(obj, kind.refs, direction, (v, f, i) => map(v, f, i === undefined ? [f.file] : [f.file, i]));
  const nested = kind.nested;
  if (nested && Array.isArray(out[nested.field])) {
    out[nested.field] = (out[nested.field] as Obj[]).map((entry, n) =>
      mapRefs(entry, nested.refs, direction, (v, f, i) => map(v, f, [nested.field, n, f.file, i ?? 0])),
    );
  }
  return out;
}

/** A file item as the API's body: references by id (`new:<key>` for a resource not created yet). */
export function toApi(kind: Kind, item: FileItem, index: number, refs: Refs): Obj {
  return translate(kind, item, "toApi", (key, field, path) =>
    refs.id(field.to, key as string, [kind.section, index, ...path]),
  );
}

/** An API object as a file item: references by key, what no one writes left out. */
export function toFile(kind: Kind, obj: Obj, refs: Refs): FileItem {
  const written = Object.fromEntries(
    Object.entries(obj).filter(
      ([field, value]) => !kind.readOnly.includes(field) && !(value === null && kind.unsetWhenNull?.includes(field)),
    ),
  );
  return translate(kind, written, "toFile", (id) => refs.key(id as string)) as FileItem;
}
