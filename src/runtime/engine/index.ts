export { RecordStore } from "./record-store.js";
export {
  type ContainerRecord,
  decodeRecord,
  encodeRecord,
  RecordFormatError,
  type SandboxRecord,
} from "./records.js";
export {
  type DerivedState,
  deriveContainerState,
  type ObservedContainer,
  UNKNOWN_EXIT_CODE,
} from "./status.js";
