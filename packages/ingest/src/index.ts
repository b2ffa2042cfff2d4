export { type IngestOptions, ResultIngest } from "./ingest.ts";
export { aggregate, DAY, HOUR } from "./rollups.ts";
