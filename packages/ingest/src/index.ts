export { type IngestOptions, ResultIngest } from "./ingest.ts";
export { storeBatch } from "./store-results.ts";
