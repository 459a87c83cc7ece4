export { Containers, type ContainersOptions, ResourceUpdateError } from "./containers.js";
export { Engine, type EngineOptions, type RecoveryReport } from "./engine.js";
export { StoreImageService } from "./image-service.js";
export { CniPodNetwork, type PodNetwork } from "./pod-network.js";
export { RecordStore } from "./record-store.js";
export {
  type ContainerRecord,
  decodeRecord,
  encodeRecord,
  RecordFormatError,
  type SandboxRecord,
} from "./records.js";
export { abandonedCreation, type RecordObservation } from "./recovery.js";
export { resolvConf } from "./resolv-conf.js";
export { Sandboxes, type SandboxesOptions } from "./sandboxes.js";
export {
  type DerivedState,
  deriveContainerState,
  type ObservedContainer,
  UNKNOWN_EXIT_CODE,
} from "./status.js";
