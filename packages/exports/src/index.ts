export {
  type AfterCommit,
  buildExport,
  type CompletedExport,
  MAX_EXPORT_ATTEMPTS,
  type OnCompleted,
} from "./builder.ts";
export { exportsEnv } from "./env.ts";
export { CONTENT_TYPES, createFormatter, csvField, EXPORT_FORMATS, type ExportFormatName } from "./format.ts";
export { createDownloadLinks, DOWNLOAD_LINK_TTL_SECONDS, type DownloadLinks } from "./links.ts";
export { enqueueExport, openExportQueue } from "./queue.ts";
export { COLUMNS, EXPORT_TYPES, type ExportTypeName } from "./rows.ts";
export { CreateExportBody, MAX_MONITOR_IDS, MAX_RANGE_DAYS, type NewExport } from "./schemas.ts";
export {
  createExport,
  type ExportFile,
  getExport,
  type LinkMaker,
  listExports,
  MAX_UNFINISHED_EXPORTS,
  openExportFile,
} from "./service.ts";
export { ExportSweeper } from "./sweeper.ts";
export { startExportWorker } from "./worker.ts";
