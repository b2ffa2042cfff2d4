import { useState } from "react";
import { type FormErrors, formErrors } from "./field-errors.ts";

const NONE: FormErrors = { fields: {}, general: [] };

/**
 * A form's submit: `run(work)` marks it busy, and spreads an API error over the form's `fields`
 * (field-errors.ts) or clears the last one when the work succeeds.
 */
export function useSubmit(fields: readonly string[]) {
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      setErrors(NONE);
    } catch (error) {
      setErrors(formErrors(error, fields));
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, run };
}
