/**
 * Plans: what each pod volume needs on this node, resolved from the pod
 * spec and the API objects it names, before anything is written. A pod
 * whose secret is missing or whose claim is unbound fails here, with
 * nothing on disk. Reads API objects through VolumeSources; no disk I/O.
 */
import type { Pod, Volume } from "kubernetes-types/core/v1.js";
import {
  type ApiDataContext,
  configMapVolumePayload,
  projectedVolumePayload,
  secretVolumePayload,
} from "./api-data.js";
import { ephemeralClaimName, resolveClaim } from "./claims.js";
import { downwardAPIPayload } from "./downward-api.js";
import { messageOf, setUpFailed, VolumeError } from "./errors.js";
import { tmpfsSizeBytes } from "./memory-size.js";
import { nestedMountpoints } from "./nested.js";
import { cleanPayload, type Payload } from "./payload.js";
import { type ApiDataPlugin, invalidVolumeName, volumeType } from "./plugins.js";

export type VolumePlan =
  /** A directory of the pod, on disk or on a tmpfs of `sizeBytes` (undefined: kernel default). */
  | { kind: "emptyDir"; name: string; memory: boolean; sizeBytes: bigint | undefined }
  /** A host path bound as is, checked (or created) per its hostPath `type`. */
  | { kind: "hostPath"; name: string; path: string; type: string }
  /** A local persistent volume's path, which must exist. */
  | { kind: "local"; name: string; path: string }
  /** Files written with the atomic writer into a directory of the pod (a tmpfs when `memory`). */
  | {
      kind: "apiData";
      name: string;
      plugin: ApiDataPlugin;
      memory: boolean;
      sizeBytes: bigint | undefined;
      payload: Payload;
      /** Directories to create for mounts nested beneath this volume. */
      nested: string[];
    };

export type PlanContext = ApiDataContext;

function emptyDirPlan(volume: Volume, ctx: PlanContext): VolumePlan {
  const medium = volume.emptyDir?.medium ?? "";
  if (medium === "")
    return { kind: "emptyDir", name: volume.name, memory: false, sizeBytes: undefined };
  if (medium !== "Memory") {
    if (medium.startsWith("HugePages"))
      throw new Error(`emptyDir medium "${medium}" is not supported by k8ts`);
    throw new Error(`unknown storage medium "${medium}"`);
  }
  const sizeBytes = tmpfsSizeBytes(ctx.pod, {
    sizeLimit: volume.emptyDir?.sizeLimit,
    nodeAllocatableMemory: ctx.nodeAllocatable?.memory,
  });
  return { kind: "emptyDir", name: volume.name, memory: true, sizeBytes };
}

async function apiDataPlan(
  volume: Volume,
  plugin: ApiDataPlugin,
  ctx: PlanContext,
): Promise<VolumePlan> {
  let payload: Payload;
  if (plugin === "secret" && volume.secret) payload = await secretVolumePayload(volume.secret, ctx);
  else if (plugin === "configMap" && volume.configMap)
    payload = await configMapVolumePayload(volume.configMap, ctx);
  else if (plugin === "downwardAPI" && volume.downwardAPI)
    payload = downwardAPIPayload(volume.downwardAPI.items, ctx.pod, {
      defaultMode: volume.downwardAPI.defaultMode,
      nodeAllocatable: ctx.nodeAllocatable,
    });
  else if (plugin === "projected" && volume.projected)
    payload = await projectedVolumePayload(volume.projected, ctx);
  else throw new Error(`volume "${volume.name}" has no ${plugin} source`);
  // Secrets and projected tokens never touch the disk (upstream wraps them in a Memory emptyDir).
  const memory = plugin === "secret" || plugin === "projected";
  const sizeBytes = memory
    ? tmpfsSizeBytes(ctx.pod, { nodeAllocatableMemory: ctx.nodeAllocatable?.memory })
    : undefined;
  return {
    kind: "apiData",
    name: volume.name,
    plugin,
    memory,
    sizeBytes,
    payload: cleanPayload(payload),
    nested: nestedMountpoints(volume.name, ctx.pod),
  };
}

async function claimPlan(volume: Volume, ctx: PlanContext): Promise<VolumePlan> {
  const ephemeral = volume.ephemeral !== undefined;
  const claimName = ephemeral
    ? ephemeralClaimName(ctx.pod, volume.name)
    : (volume.persistentVolumeClaim?.claimName ?? "");
  let target: Awaited<ReturnType<typeof resolveClaim>>;
  try {
    target = await resolveClaim(ctx.pod, { claimName, ephemeral, sources: ctx.sources });
  } catch (err) {
    throw new VolumeError(messageOf(err), { volume: volume.name, cause: err });
  }
  return { ...target, name: volume.name };
}

/** What volume `volume` of the pod needs; throws VolumeError (reason FailedMount). */
export async function planVolume(volume: Volume, ctx: PlanContext): Promise<VolumePlan> {
  const invalid = invalidVolumeName(volume.name);
  if (invalid !== undefined) throw new VolumeError(invalid, { volume: volume.name });
  const type = volumeType(volume);
  try {
    switch (type) {
      case "emptyDir":
        return emptyDirPlan(volume, ctx);
      case "hostPath":
        return {
          kind: "hostPath",
          name: volume.name,
          path: volume.hostPath?.path ?? "",
          type: volume.hostPath?.type ?? "",
        };
      case "configMap":
      case "secret":
      case "downwardAPI":
      case "projected":
        return await apiDataPlan(volume, type, ctx);
      case "persistentVolumeClaim":
      case "ephemeral":
        return await claimPlan(volume, ctx);
      default:
        throw new Error(`volume type ${type} is not supported by k8ts`);
    }
  } catch (err) {
    throw setUpFailed(volume.name, err);
  }
}

/** Plans for every volume of the pod, in spec order; the first failing volume's error is thrown. */
export async function planPod(pod: Pod, ctx: Omit<PlanContext, "pod">): Promise<VolumePlan[]> {
  const volumes = pod.spec?.volumes ?? [];
  const results = await Promise.allSettled(volumes.map((v) => planVolume(v, { ...ctx, pod })));
  const plans: VolumePlan[] = [];
  for (const r of results) {
    if (r.status === "rejected") throw r.reason;
    plans.push(r.value);
  }
  return plans;
}
