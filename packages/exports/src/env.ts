import { positiveInt } from "@upfleet/config";

/** The environment of a process that builds exports (the alerter), spread into its own schema. */
export const exportsEnv = {
  /** How long a completed export's file is kept (24 h). */
  EXPORT_FILE_TTL_SECONDS: positiveInt(86_400),
  /** Size of the file's chunks in PostgreSQL (2 MiB); tests make it small to get many. */
  EXPORT_CHUNK_BYTES: positiveInt(2 * 1024 * 1024),
  /**
   * How often lost jobs are re-queued and expired files deleted unprompted (5 minutes): the alerter's
   * work probe wakes the sweep within 30 s while an export is unfinished, and an expired file is never
   * served (its row says so), so a late delete costs only storage.
   */
  EXPORT_SWEEP_INTERVAL_MS: positiveInt(300_000),
};
