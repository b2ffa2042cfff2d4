export * from "./expected-status.ts";
export * from "./result.ts";
export * from "./spec.ts";
