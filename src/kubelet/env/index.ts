/** A container's environment: service links, envFrom, env with `$(VAR)` expansion, the downward API. */

export { formatMap, goQuote, limitsWithAllocatable } from "../fieldpath/index.js";
export type { EnvContext, EnvSources } from "./context.js";
export { EnvError, type EnvWarning } from "./errors.js";
export {
  envMap,
  expand,
  expandCommand,
  expandSubPathExpr,
  type Mapping,
  mappingFor,
} from "./expand.js";
export { fieldRefValue } from "./field-ref.js";
export { type EnvResult, makeEnvironment, resolveEnvironment } from "./make-env.js";
export { sortPodIPs } from "./pod-ips.js";
export { resourceFieldRefValue } from "./resource-ref.js";
export { envVariableName, isServiceIPSet, serviceEnv, visibleServices } from "./service-env.js";
