export { CycleState, type StateKey, stateKey } from "./cycle-state.js";
export * from "./events.js";
export {
  type Diagnosis,
  FitError,
  fitErrorMessage,
  PluginError,
  reasonHistogram,
} from "./fit-error.js";
export { HostPortInfo, podHostPorts } from "./host-ports.js";
export * from "./interface.js";
export { type ImageStateSummary, NodeInfo } from "./node-info.js";
export * from "./pod-info.js";
export * from "./resource.js";
export * from "./schedule.js";
export { createSnapshot, Snapshot } from "./snapshot.js";
export * from "./status.js";
export * from "./tolerations.js";
export { TopologyCounts } from "./topology-counts.js";
