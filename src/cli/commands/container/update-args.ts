/**
 * `k8ts update`'s flags as the engine's resource update (pure): docker
 * update's `--cpus`, `-m` and `--pids-limit`, read as `k8ts run` reads them.
 */
import type { LinuxContainerResources } from "../../../runtime/cri.js";
import { FlagError } from "./flags.js";
import { parseCpus, parseMemory, parsePidsLimit } from "./values.js";

export interface UpdateFlags {
  readonly cpus?: string | undefined;
  readonly memory?: string | undefined;
  readonly pidsLimit?: string | undefined;
}

export interface UpdateRequest {
  readonly resources: LinuxContainerResources;
  readonly pidsLimit?: number;
}

export function updateRequest(flags: UpdateFlags): UpdateRequest {
  if (flags.cpus === undefined && flags.memory === undefined && flags.pidsLimit === undefined)
    throw new FlagError("give at least one of --cpus, --memory (-m) or --pids-limit");
  const resources: LinuxContainerResources = {
    ...(flags.memory !== undefined ? { memoryLimitInBytes: parseMemory(flags.memory) } : {}),
    ...(flags.cpus !== undefined ? parseCpus(flags.cpus) : {}),
  };
  return flags.pidsLimit !== undefined
    ? { resources, pidsLimit: parsePidsLimit(flags.pidsLimit) }
    : { resources };
}
