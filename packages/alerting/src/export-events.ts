import type { Prisma } from "@upfleet/db";
import { insertNotifications, toChannels } from "./notifications.ts";
import { type ExportFields, exportCompletedPayload } from "./payload.ts";
import { channelsFor } from "./routing.ts";
import { loadRouting } from "./routing-data.ts";

type Tx = Prisma.TransactionClient;

/** An export as its completion reports it (packages/exports CompletedExport). */
export interface CompletedExportFields extends ExportFields {
  organizationId: string;
}

/**
 * export.completed: one notification per usable channel of the organization's rules that take it
 * (a rule limited to monitors or tags never does: the event is about no monitor). Runs in the
 * transaction that marks the export completed; the dedupe key `export:<export id>:<channel id>`
 * absorbs a replay. Returns the ids created, for the caller to queue after the commit.
 */
export async function notifyExportCompleted(tx: Tx, completed: CompletedExportFields): Promise<string[]> {
  const { organizationId } = completed;
  const routing = await loadRouting(tx, [organizationId]);
  const channels = channelsFor(
    routing.rules(organizationId),
    { type: "export.completed", monitorId: null, tags: [] },
    routing.usable(organizationId),
  );
  return insertNotifications(
    tx,
    toChannels(`export:${completed.id}`, channels, {
      organizationId,
      incidentId: null,
      monitorId: null,
      payload: exportCompletedPayload(completed),
    }),
  );
}
