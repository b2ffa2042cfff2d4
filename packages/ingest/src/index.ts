export { type IngestOptions, ResultIngest } from "./ingest.ts";
