export { type CniCommand, execPlugin, findPlugin, pluginEnv, pluginStdin } from "./invoke.js";
export { addNetworkList, type CniOptions, delNetworkList, primaryIp } from "./network-list.js";
export * from "./types.js";
