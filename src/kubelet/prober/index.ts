export { runGrpcAction } from "./grpc-action.js";
export { ProbeManager, type ProbeManagerOptions } from "./manager.js";
export { expandStatic, type ProbeOutcome, type ProbeTarget, runProbe } from "./run-probe.js";
export { type ProbeSettings, probeOf, probeSettings } from "./settings.js";
export type { ContainerState, ProbeEvent, ProbeKind, ProbeResult } from "./types.js";
