export { CniConfigError, loadDefaultNetwork, parseNetworkConfig } from "./config-dir.js";
export { type CniCommand, execPlugin, findPlugin, pluginEnv, pluginStdin } from "./invoke.js";
export { addNetworkList, type CniOptions, delNetworkList, primaryIp } from "./network-list.js";
export * from "./types.js";
