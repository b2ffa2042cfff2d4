export { buildExport, type CompletedExport, type OnCompleted } from "./builder.ts";
export { exportsEnv } from "./env.ts";
export { CONTENT_TYPES, EXPORT_FORMATS, type ExportFormatName } from "./format.ts";
export { createDownloadLinks, type DownloadHolder, type DownloadLinks } from "./links.ts";
export { COLUMNS, EXPORT_TYPES, type ExportTypeName } from "./rows.ts";
export { CreateExportBody } from "./schemas.ts";
export {
  createExport,
  getExport,
  type HolderStanding,
  holderStanding,
  listExports,
  MAX_UNFINISHED_EXPORTS,
  openExportFile,
} from "./service.ts";
export { ExportSweeper } from "./sweeper.ts";
export { startExportWorker } from "./worker.ts";
