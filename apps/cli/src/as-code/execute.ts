import { UpfleetError } from "@upfleet/sdk";
import { CliError, exitCodeFor } from "../exit-codes.ts";
import { type FileItem, filePath } from "./file.ts";
import { type Kind, toApi } from "./kinds.ts";
import type { Rest, State, Step } from "./plan.ts";

const show = (value: unknown) => (value === undefined ? "(unset)" : JSON.stringify(value));

/** The plan for people: `+` create, `~` update with each field's old and new value, `-` delete. */
export function renderPlan(steps: Step[]): string {
  if (steps.length === 0) return "No changes: the organization matches the file.";
  const lines = steps.flatMap((step) => {
    const sign = { create: "+", update: "~", delete: "-" }[step.action];
    const head = `${sign} ${step.kind.noun} ${step.key}`;
    if (step.action !== "update") return [head];
    return [head, ...step.changes.map((change) => `    ${change.field}: ${show(change.from)} → ${show(change.to)}`)];
  });
  const count = (action: Step["action"]) => steps.filter((step) => step.action === action).length;
  lines.push(`${count("create")} to create, ${count("update")} to change, ${count("delete")} to delete`);
  return lines.join("\n");
}

/** The plan for scripts (`--json`). */
export const planJson = (steps: Step[]) =>
  steps.map((step) => ({
    action: step.action,
    type: step.kind.section,
    key: step.key,
    ...(step.action === "update" ? { changes: step.changes } : {}),
  }));

/** An API error on an item, named by the item's path in the file (a detail on `channel_ids` as `channels`). */
function atItem(error: unknown, kind: Kind, index: number | null, key: string): unknown {
  if (!(error instanceof UpfleetError)) return error;
  const where = index === null ? `${kind.noun} ${key}` : `${filePath([kind.section, index])} (${key})`;
  const fileField = (path: string) => {
    const [head = "", ...rest] = path.split(".");
    const renamed = kind.refs.find((ref) => ref.api === head)?.file ?? head;
    return [renamed, ...rest].join(".");
  };
  const details = error.details.map((d) => `\n  ${where}.${fileField(d.path)}: ${d.message}`).join("");
  return new CliError(`${where}: ${error.message} (${error.status} ${error.error})${details}`, exitCodeFor(error));
}

/** Carries the plan out in its order; an id created for a key is used by the items after it that name it. */
export async function execute(api: Rest, state: State, steps: Step[]): Promise<void> {
  for (const step of steps) {
    const index = step.action === "delete" ? null : step.index;
    try {
      if (step.action === "create") {
        const created = await api.create(step.kind, toApi(step.kind, step.item, step.index, state.refs));
        state.refs.set(step.kind.section, step.key, created.id as string);
      } else if (step.action === "update") {
        const changed = Object.fromEntries(step.changes.map((change) => [change.field, step.item[change.field]]));
        const body = toApi(step.kind, { key: step.key, ...changed } as FileItem, step.index, state.refs);
        delete body.key;
        await api.update(step.kind, step.id, body);
      } else {
        await api.remove(step.kind, step.id);
      }
    } catch (error) {
      throw atItem(error, step.kind, index, step.key);
    }
  }
}
