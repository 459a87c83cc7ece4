export { formatMap } from "../fieldpath/index.js";
export { DATA_DIR_NAME, writeAtomically } from "./atomic-writer.js";
export { VolumeError, VolumeInvariantError } from "./errors.js";
export { VolumeManager, type VolumeManagerOptions } from "./manager.js";
export { makeMounts } from "./mounts.js";
export type { FileProjection, Payload } from "./payload.js";
export { mustMountReadOnly, PLUGIN_DIRS } from "./plugins.js";
export type { NodeAllocatable } from "./resource-field.js";
export type { TokenRequest, VolumeSources } from "./sources.js";
