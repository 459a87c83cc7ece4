export {
  conmonArgs,
  MonitorError,
  type Monitored,
  type MonitorOptions,
  readExitCode,
  startMonitor,
  waitForExit,
} from "./conmon.js";
export { type HostLimits, hasCapability, hostLimits } from "./host.js";
export {
  type CreateOptions,
  type OciState,
  Runc,
  RuncError,
  type RuncOptions,
  type Stdio,
} from "./runc.js";
