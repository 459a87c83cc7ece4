/**
 * Attaching a container to a network configuration list and detaching it,
 * as libcni does: ADD runs the plugins in order, each handed the previous
 * one's result; DEL runs them in reverse with the result ADD produced, and
 * tolerates what is already gone so it can be retried.
 */
import { execPlugin, findPlugin, pluginEnv, pluginStdin } from "./invoke.js";
import type { CniResult, NetworkConfigList, RuntimeConf } from "./types.js";

export interface CniOptions {
  /** Where plugin binaries live. Default Debian's /usr/lib/cni. */
  binDirs?: readonly string[];
}

const DEFAULT_BIN_DIRS = ["/usr/lib/cni", "/opt/cni/bin"];

/**
 * Runs ADD through the list. If a plugin fails, the ones before it are
 * undone (DEL) so a failed attach leaves nothing behind.
 */
export async function addNetworkList(
  list: NetworkConfigList,
  runtime: RuntimeConf,
  options: CniOptions = {},
): Promise<CniResult> {
  const binDirs = options.binDirs ?? DEFAULT_BIN_DIRS;
  let result: CniResult | undefined;
  for (const [i, plugin] of list.plugins.entries()) {
    try {
      const binary = findPlugin(plugin.type, binDirs);
      const out = await execPlugin(
        binary,
        plugin.type,
        pluginEnv("ADD", runtime, binDirs),
        pluginStdin(list, plugin, {
          prevResult: result,
          ...(runtime.capabilityArgs ? { capabilityArgs: runtime.capabilityArgs } : {}),
        }),
      );
      result = out ?? result;
    } catch (error) {
      await delNetworkList(
        { ...list, plugins: list.plugins.slice(0, i + 1) },
        runtime,
        result,
        options,
      ).catch(() => {});
      throw error;
    }
  }
  if (result === undefined) throw new Error(`network ${list.name}: no plugin returned a result`);
  return result;
}

/**
 * Runs DEL through the list in reverse, each plugin given ADD's result when
 * known. Every plugin gets its DEL even if an earlier one fails (the first
 * failure is thrown at the end), so one broken plugin cannot strand the
 * others' state.
 */
export async function delNetworkList(
  list: NetworkConfigList,
  runtime: RuntimeConf,
  addResult: CniResult | undefined,
  options: CniOptions = {},
): Promise<void> {
  const binDirs = options.binDirs ?? DEFAULT_BIN_DIRS;
  let first: unknown;
  for (const plugin of [...list.plugins].reverse()) {
    try {
      const binary = findPlugin(plugin.type, binDirs);
      await execPlugin(
        binary,
        plugin.type,
        pluginEnv("DEL", runtime, binDirs),
        pluginStdin(list, plugin, {
          prevResult: addResult,
          ...(runtime.capabilityArgs ? { capabilityArgs: runtime.capabilityArgs } : {}),
        }),
      );
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw first;
}

/** The first IPv4 address of a result without its prefix length, e.g. `10.42.0.5`. */
export function primaryIp(result: CniResult): string | undefined {
  for (const ip of result.ips ?? []) {
    const address = ip.address.split("/")[0];
    if (address !== undefined && !address.includes(":")) return address;
  }
  return result.ips?.[0]?.address.split("/")[0];
}
