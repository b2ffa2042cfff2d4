import { EXPORTS_QUEUE, exportJobId, JOBS } from "@upfleet/queue";
import { type ConnectionOptions, Queue } from "bullmq";

/** The exports queue, as producers (the API, the sweeper) open it. */
export function openExportQueue(connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(EXPORTS_QUEUE, { connection, prefix });
}

/** Queues an export's build; its job id is the export's, so queueing it twice while queued is a no-op. */
export async function enqueueExport(queue: Queue, exportId: string): Promise<void> {
  const data = JOBS.export.schema.parse({ exportId });
  await queue.add("build", data, { ...JOBS.export.options, jobId: exportJobId(exportId) });
}
