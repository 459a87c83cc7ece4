/**
 * The network configuration in a CNI config directory, chosen as the
 * kubelet's runtimes do (libcni's ConfFiles + LoadConfList): files ending
 * .conflist, .conf or .json in lexical order, the first that parses wins; a
 * single-plugin .conf is wrapped into a list of one.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { NetworkConfigList, PluginConf } from "./types.js";

export class CniConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CniConfigError";
  }
}

/** Parses one config file's text; throws CniConfigError with the reason. */
export function parseNetworkConfig(text: string, file: string): NetworkConfigList {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new CniConfigError(`${file}: invalid JSON: ${(err as Error).message}`);
  }
  if (!obj || typeof obj !== "object") throw new CniConfigError(`${file}: not an object`);
  const o = obj as Record<string, unknown>;
  if (typeof o.name !== "string" || o.name === "")
    throw new CniConfigError(`${file}: no network name`);
  if (Array.isArray(o.plugins)) {
    if (o.plugins.length === 0) throw new CniConfigError(`${file}: no plugins`);
    for (const [i, p] of o.plugins.entries()) {
      if (!p || typeof p !== "object" || typeof (p as PluginConf).type !== "string")
        throw new CniConfigError(`${file}: plugins[${i}] has no type`);
    }
    return {
      cniVersion: typeof o.cniVersion === "string" ? o.cniVersion : "1.0.0",
      name: o.name,
      ...(o.disableCheck === true ? { disableCheck: true } : {}),
      plugins: o.plugins as PluginConf[],
    };
  }
  if (typeof o.type !== "string") throw new CniConfigError(`${file}: no plugin type`);
  const { name, cniVersion, ...plugin } = o;
  return {
    cniVersion: typeof cniVersion === "string" ? cniVersion : "1.0.0",
    name,
    plugins: [plugin as PluginConf],
  };
}

/** The default network of `dir`, or undefined when it holds none. */
export async function loadDefaultNetwork(
  dir: string,
  onSkip?: (file: string, err: Error) => void,
): Promise<NetworkConfigList | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names.filter((n) => /\.(conflist|conf|json)$/.test(n)).sort()) {
    const file = join(dir, name);
    try {
      return parseNetworkConfig(await readFile(file, "utf8"), file);
    } catch (err) {
      onSkip?.(file, err as Error);
    }
  }
  return undefined;
}
