export { type IngestOptions, ResultIngest } from "./ingest.ts";
export { ResultGate } from "./result-gate.ts";
export { storeBatch } from "./store-results.ts";
