import { KINDS } from "./kinds.ts";
import type { Rest, State } from "./plan.ts";

const MAX_KEY = 63;

/** `Billing API (EU)` → `billing-api-eu`; `-2`, `-3`… after a key already taken among its kind. */
function keyFromName(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, MAX_KEY - 4) || "item";
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

/**
 * `export --all`: gives every resource without a key one made from its name (a PATCH each), so the
 * exported file has the whole organization. Returns how many it keyed.
 */
export async function giveKeys(api: Rest, state: State): Promise<number> {
  let keyed = 0;
  for (const kind of KINDS) {
    const items = state.items.get(kind.section) ?? [];
    const taken = new Set(items.flatMap((obj) => (obj.key === null ? [] : [obj.key as string])));
    // Oldest first, so the first of two same-named resources keeps the plain key.
    for (const obj of [...items].reverse().filter((item) => item.key === null)) {
      const key = keyFromName(String(obj.name ?? kind.noun), taken);
      Object.assign(obj, await api.update(kind, obj.id as string, { key }));
      state.refs.set(kind.section, key, obj.id as string);
      keyed++;
    }
  }
  return keyed;
}
