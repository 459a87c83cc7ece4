export {
  type ActionResult,
  errorMessage,
  MAX_OUTPUT_BYTES,
} from "./action-result.js";
export {
  type ActionOptions,
  type ExecOutcome,
  execInContainer,
  runExecAction,
} from "./exec-action.js";
export {
  createHookRunner,
  type HookEvent,
  type HookOptions,
  type HookRunner,
  type HookRunnerOptions,
  podName,
} from "./hooks.js";
export { type HttpTarget, httpRequestFor, runHttpGetAction } from "./http-action.js";
export { joinHostPort, resolveContainerPort } from "./port.js";
export { runTcpAction } from "./tcp-action.js";
export { userAgent } from "./user-agent.js";
