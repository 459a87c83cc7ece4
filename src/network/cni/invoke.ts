/**
 * Running one CNI plugin binary: the command and runtime facts in CNI_*
 * environment variables, the plugin's configuration on stdin, the result
 * (or a structured error) on stdout.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CniError, type CniResult, type PluginConf, type RuntimeConf } from "./types.js";

export type CniCommand = "ADD" | "DEL" | "CHECK" | "VERSION";

/**
 * The stdin a plugin of a list gets: its own conf plus the list's name and
 * version, the previous result, and `runtimeConfig` with the capability
 * arguments it declares in `capabilities` (others are not passed).
 */
export function pluginStdin(
  list: { cniVersion: string; name: string },
  plugin: PluginConf,
  opts: { prevResult?: CniResult | undefined; capabilityArgs?: Record<string, unknown> } = {},
): string {
  const conf: Record<string, unknown> = { ...plugin, cniVersion: list.cniVersion, name: list.name };
  const declared = (plugin.capabilities ?? {}) as Record<string, unknown>;
  const runtimeConfig = Object.fromEntries(
    Object.entries(opts.capabilityArgs ?? {}).filter(([cap]) => declared[cap] === true),
  );
  if (Object.keys(runtimeConfig).length > 0) conf.runtimeConfig = runtimeConfig;
  if (opts.prevResult !== undefined) conf.prevResult = opts.prevResult;
  return JSON.stringify(conf);
}

/** The CNI_* environment for a call. */
export function pluginEnv(
  command: CniCommand,
  runtime: RuntimeConf,
  binDirs: readonly string[],
): Record<string, string> {
  return {
    CNI_COMMAND: command,
    CNI_CONTAINERID: runtime.containerId,
    CNI_NETNS: runtime.netns,
    CNI_IFNAME: runtime.ifName,
    CNI_ARGS: (runtime.args ?? []).map(([k, v]) => `${k}=${v}`).join(";"),
    CNI_PATH: binDirs.join(":"),
  };
}

/** The plugin binary in the first of `binDirs` that has it. */
export function findPlugin(type: string, binDirs: readonly string[]): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(type)) throw new CniError(type, 0, "invalid plugin type");
  for (const dir of binDirs) {
    const path = join(dir, type);
    if (existsSync(path)) return path;
  }
  throw new CniError(type, 0, `plugin not found in ${binDirs.join(", ")}`);
}

/** Runs the plugin; resolves to its parsed stdout (undefined when it printed nothing, as DEL may). */
export function execPlugin(
  binary: string,
  type: string,
  env: Record<string, string>,
  stdin: string,
  timeoutMs = 60_000,
): Promise<CniResult | undefined> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      binary,
      [],
      {
        env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", ...env },
        timeout: timeoutMs,
      },
      (error, stdout, stderr) => {
        const text = stdout.trim();
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>);
        } catch {
          parsed = undefined;
        }
        if (error) {
          if (parsed && typeof parsed.code === "number") {
            reject(
              new CniError(
                type,
                parsed.code,
                String(parsed.msg ?? ""),
                parsed.details as string | undefined,
              ),
            );
          } else {
            reject(new CniError(type, 0, stderr.trim() || text || error.message));
          }
          return;
        }
        if (text !== "" && parsed === undefined) {
          reject(new CniError(type, 0, `unparseable output: ${text.slice(0, 200)}`));
          return;
        }
        resolve(parsed as CniResult | undefined);
      },
    );
    child.stdin?.end(stdin);
  });
}
