/**
 * UpdateContainerResources as containerd's CRI plugin applies it (pure):
 * the CRI resources become OCI linux.resources through the same mapping
 * as create (ociResources), zero fields leave the current value alone,
 * and the result is both runc update's resources document and the new
 * linux.resources of the container's spec.
 */
import type { LinuxContainerResources } from "../cri.js";
import { ociResources } from "./resources.js";
import type { LinuxResources } from "./types.js";

export interface ResourceUpdateOptions {
  /** The kernel has the swap controller (see ociResources). Default true. */
  swapController?: boolean;
  /** pids.max (not in the CRI; `k8ts update --pids-limit`), -1 for none. Default unchanged. */
  pidsLimit?: number | undefined;
}

/**
 * What `runc update -r -` is given: only the fields the update sets
 * (runc leaves absent ones as they are). Devices are never part of it.
 */
export function runcUpdateResources(
  update: LinuxContainerResources,
  options: ResourceUpdateOptions = {},
): LinuxResources {
  const out = ociResources(update, { swapController: options.swapController ?? true });
  if (options.pidsLimit !== undefined) {
    if (
      !Number.isSafeInteger(options.pidsLimit) ||
      options.pidsLimit === 0 ||
      options.pidsLimit < -1
    )
      throw new RangeError(
        `invalid pids limit ${options.pidsLimit}: a positive number, or -1 for none`,
      );
    out.pids = { limit: options.pidsLimit };
  }
  return out;
}

/** The spec's linux.resources after runc applied `update` (runcUpdateResources's result). */
export function updatedSpecResources(
  current: LinuxResources,
  update: LinuxResources,
): LinuxResources {
  const out: LinuxResources = { ...current };
  if (update.cpu) out.cpu = { ...current.cpu, ...update.cpu };
  if (update.memory) out.memory = { ...current.memory, ...update.memory };
  if (update.pids) out.pids = { ...update.pids };
  if (update.hugepageLimits) {
    const bySize = new Map((current.hugepageLimits ?? []).map((h) => [h.pageSize, h]));
    for (const h of update.hugepageLimits) bySize.set(h.pageSize, { ...h });
    out.hugepageLimits = [...bySize.values()];
  }
  if (update.unified) out.unified = { ...current.unified, ...update.unified };
  return out;
}

/** The CRI resources a container reports after the update: set fields replace, zeros keep. */
export function mergeCriResources(
  current: LinuxContainerResources,
  update: LinuxContainerResources,
): LinuxContainerResources {
  const out: LinuxContainerResources = { ...current };
  for (const [key, value] of Object.entries(update) as [keyof LinuxContainerResources, unknown][]) {
    const unset =
      value === undefined ||
      value === 0 ||
      value === "" ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === "object" && value !== null && Object.keys(value).length === 0);
    if (unset) continue;
    if (key === "unified") out.unified = { ...current.unified, ...update.unified };
    else Object.assign(out, { [key]: value });
  }
  return out;
}
