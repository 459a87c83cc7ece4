export { expandCommand, NoCommandError, type ResolveArgsOptions, resolveArgs } from "./args.js";
export { buildCapabilities, capabilityName } from "./capabilities.js";
export {
  buildContainerSpec,
  type ContainerSpecOptions,
  clampOomScoreAdj,
  type ImageConfig,
  mergeEnv,
  nofileRlimit,
  type ResolvedDevice,
  type SandboxInfo,
} from "./container.js";
export * from "./defaults.js";
export {
  InvalidMountError,
  NamespaceOptionError,
  PrivilegedNotAllowedError,
  SpecError,
} from "./errors.js";
export { type EnvVar, expand, expandEnv, lookupIn, type VarLookup } from "./expand.js";
export { bindMount, containerMounts, rootfsPropagationFor, sortMounts } from "./mounts.js";
export {
  containerNamespaces,
  netnsPath,
  procNamespacePath,
  sandboxNamespaces,
} from "./namespaces.js";
export {
  type ContainerRequirements,
  type ContainerResourcesOptions,
  containerResources,
  MAX_SHARES,
  MIN_QUOTA_PERIOD,
  MIN_SHARES,
  milliCpuToQuota,
  milliCpuToShares,
  ociResources,
  oomScoreAdj,
  type PodResourceConfig,
  podResources,
  type QOSClass,
  QUOTA_PERIOD,
  qosClass,
} from "./resources.js";
export { buildSandboxSpec, PAUSE_ARGS, type SandboxSpecOptions } from "./sandbox.js";
export type * from "./types.js";
export {
  mergeCriResources,
  type ResourceUpdateOptions,
  runcUpdateResources,
  updatedSpecResources,
} from "./update.js";
export { containerUser, type ResolvedUser, resolveUser, UnknownUserError } from "./user.js";
