import { downAfterWindowChange } from "@upfleet/incidents";
import type { ApiDeps } from "../../deps.ts";

/**
 * After an edit or a delete, maintenance may have ended early for the monitors the window named: a
 * monitor still down whose outage the window held back gets its monitor.down now, so its incident
 * opens (no occurrence will end later to do it). The change is already committed, so a failure here
 * is logged, not answered: the edit stands.
 */
export async function endedEarly(deps: ApiDeps, windowId: string, monitorIds: string[]): Promise<void> {
  try {
    await downAfterWindowChange(deps.db, windowId, monitorIds);
  } catch (error) {
    deps.logger.error({ err: error, windowId }, "monitors still down after a maintenance change not checked");
  }
}
