export { Dispatcher, type DispatcherDeps, followingTick } from "./dispatcher.ts";
export { type ReconcileReport, reconcileSchedules } from "./reconciler.ts";
