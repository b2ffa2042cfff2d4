import { UpfleetError } from "./client.ts";

export interface FormErrors {
  /** Messages by field path as the API names it (`url`, `headers.0.name`). */
  fields: Record<string, string>;
  /** What belongs to no field shown: the error's message and details on unknown fields. */
  general: string[];
}

/**
 * Spreads an API error over a form: each `details` entry whose path is (or starts with) one of the
 * form's `fields` goes to that field, the rest and the error's message to the form as a whole.
 */
export function formErrors(error: unknown, fields: readonly string[]): FormErrors {
  const result: FormErrors = { fields: {}, general: [] };
  if (!(error instanceof UpfleetError)) {
    result.general.push(error instanceof Error ? error.message : String(error));
    return result;
  }
  for (const detail of error.details) {
    const field = fieldOf(detail.path, fields);
    if (field === undefined) result.general.push(detail.path ? `${detail.path}: ${detail.message}` : detail.message);
    else result.fields[field] = result.fields[field] ? `${result.fields[field]}; ${detail.message}` : detail.message;
  }
  if (error.details.length === 0 || result.general.length > 0) result.general.unshift(error.message);
  return result;
}

/** The longest form field that is `path` or contains it (`headers.0.name` → `headers`). */
function fieldOf(path: string, fields: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const field of fields) {
    const matches = path === field || path.startsWith(`${field}.`);
    if (matches && (!best || field.length > best.length)) best = field;
  }
  return best;
}
