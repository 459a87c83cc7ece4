/**
 * persistentVolumeClaim and ephemeral volumes: the claim, the volume bound
 * to it, and the host path that volume names (upstream
 * desired_state_of_world_populator createVolumeSpec). k8ts binds hostPath
 * and local persistent volumes; other volume types need a driver it lacks.
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import { messageOf } from "./errors.js";
import type { VolumeSources } from "./sources.js";

/** Where a bound persistent volume lives on this node. */
export type ClaimTarget =
  | { kind: "hostPath"; path: string; type: string }
  | { kind: "local"; path: string };

function claimError(namespace: string, claim: string, why: string): Error {
  return new Error(`error processing PVC ${namespace}/${claim}: ${why}`);
}

/** The name of the claim an ephemeral volume's template makes (`<pod name>-<volume name>`). */
export function ephemeralClaimName(pod: Pod, volumeName: string): string {
  return `${pod.metadata?.name ?? ""}-${volumeName}`;
}

function ownedByPod(pvc: PersistentVolumeClaim, pod: Pod): boolean {
  const uid = pod.metadata?.uid;
  return (pvc.metadata?.ownerReferences ?? []).some(
    (ref) => ref.controller === true && ref.uid === uid,
  );
}

function checkClaimRef(pv: PersistentVolume, pvc: PersistentVolumeClaim): string | undefined {
  const name = pv.metadata?.name ?? "";
  const ref = pv.spec?.claimRef;
  if (ref === undefined)
    return `found PV object ${name} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`;
  const claimUid = pvc.metadata?.uid;
  if (ref.uid !== undefined && claimUid !== undefined && ref.uid !== claimUid)
    return `found PV object ${name} but its pv.Spec.ClaimRef.UID ${ref.uid} does not point to claim.UID ${claimUid}`;
  if (ref.name !== undefined && ref.name !== pvc.metadata?.name)
    return `found PV object ${name} but its pv.Spec.ClaimRef names claim ${ref.name}`;
  return undefined;
}

/** PersistentVolumeSpec fields that are not the volume source. */
const PV_SPEC_NON_SOURCES: ReadonlySet<string> = new Set([
  "accessModes",
  "capacity",
  "claimRef",
  "mountOptions",
  "nodeAffinity",
  "persistentVolumeReclaimPolicy",
  "storageClassName",
  "volumeAttributesClassName",
  "volumeMode",
]);

function targetOf(pv: PersistentVolume): ClaimTarget {
  const spec = pv.spec ?? {};
  if (spec.volumeMode === "Block")
    throw new Error(`block volume ${pv.metadata?.name ?? ""} is not supported by k8ts`);
  if (spec.hostPath !== undefined)
    return { kind: "hostPath", path: spec.hostPath.path, type: spec.hostPath.type ?? "" };
  if (spec.local !== undefined) return { kind: "local", path: spec.local.path };
  const type =
    Object.entries(spec).find(([k, v]) => v !== undefined && !PV_SPEC_NON_SOURCES.has(k))?.[0] ??
    "unknown";
  throw new Error(`volume type ${type} is not supported by k8ts`);
}

/**
 * The host path behind claim `claimName` of the pod's namespace. Throws
 * when the claim is missing, being deleted, unbound, not the pod's own
 * (ephemeral), or bound to a volume k8ts cannot bind-mount.
 */
export async function resolveClaim(
  pod: Pod,
  claim: { claimName: string; ephemeral: boolean; sources: VolumeSources },
): Promise<ClaimTarget> {
  const namespace = pod.metadata?.namespace ?? "default";
  const name = claim.claimName;
  if (name === "") throw new Error("persistentVolumeClaim.claimName is required");
  const pvc = await claim.sources.persistentVolumeClaim(namespace, name);
  if (pvc === undefined)
    throw claimError(
      namespace,
      name,
      `failed to fetch PVC from API server: persistentvolumeclaims "${name}" not found`,
    );
  if (claim.ephemeral && !ownedByPod(pvc, pod))
    throw claimError(
      namespace,
      name,
      `PVC ${namespace}/${name} was not created for pod ${namespace}/${pod.metadata?.name ?? ""} (pod is not owner)`,
    );
  if (pvc.metadata?.deletionTimestamp !== undefined)
    throw claimError(namespace, name, "PVC is being deleted");
  const pvName = pvc.spec?.volumeName ?? "";
  if (pvc.status?.phase !== "Bound" || pvName === "")
    throw claimError(namespace, name, "PVC is not bound");
  const pv = await claim.sources.persistentVolume(pvName);
  if (pv === undefined)
    throw claimError(
      namespace,
      name,
      `failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`,
    );
  const refError = checkClaimRef(pv, pvc);
  if (refError !== undefined) throw claimError(namespace, name, refError);
  try {
    return targetOf(pv);
  } catch (err) {
    throw claimError(namespace, name, messageOf(err));
  }
}
