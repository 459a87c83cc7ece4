/** The image subsystem: references, the OCI store, registry pull/push, layers and archives. */
export {
  type ExportOptions,
  exportArchive,
  type ImportedImage,
  type ImportOptions,
  importArchive,
} from "./archive.js";
export { writeLayerFromUpper } from "./diff.js";
export { type Digest, isDigest, parseDigest, sha256Digest } from "./digest.js";
export * from "./errors.js";
export {
  OVERLAY_OPAQUE_XATTR,
  type UnpackOptions,
  type UnpackResult,
  unpackLayer,
} from "./layers.js";
export {
  type ContainerConfig,
  type Descriptor,
  envToMap,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  parseImageConfig,
  parseManifest,
  selectPlatform,
} from "./manifest.js";
export { MediaType } from "./media-types.js";
export { hostPlatform, type Platform } from "./platform.js";
export { PullError, type PullOptions, type PullProgress, pullImage } from "./pull.js";
export { type PushOptions, type PushResult, pushImage } from "./push.js";
export {
  familiar,
  formatReference,
  type ImageReference,
  parseNormalized,
  parseReference,
  repositoryName,
} from "./reference.js";
export {
  EMPTY_REGISTRIES,
  endpointsFor,
  parseRegistriesYaml,
  type RegistriesConfig,
} from "./registries.js";
export { RegistryClient } from "./registry-client.js";
export { ImageStore, type ResolvedImage, type ResolvedLayer, type StoredImage } from "./store.js";
