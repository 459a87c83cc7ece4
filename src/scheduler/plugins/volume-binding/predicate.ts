/**
 * The part of VolumeBinding that needs no binder: classify the pod's claims,
 * and check bound volumes' node affinity. Dynamic provisioning and matching
 * unbound claims to free volumes are left to a later binder; an unbound
 * WaitForFirstConsumer claim passes every node.
 */
import type {
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
} from "kubernetes-types/core/v1.js";
import { compileNodeSelector } from "../../../machinery/labels/index.js";
import type { Lookups } from "../../framework/interface.js";
import { podNamespace } from "../../framework/pod-info.js";

export const ERR_REASON_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
export const ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict";
export const ERR_REASON_PV_NOT_EXIST =
  "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

export type ClaimsVerdict =
  | { readonly kind: "none" }
  | { readonly kind: "rejected"; readonly reason: string }
  | {
      readonly kind: "ok";
      /** Volumes of bound claims (undefined where the PV is missing). */
      readonly bound: readonly { claim: string; pv: PersistentVolume | undefined }[];
      /** Unbound claims waiting for the first consumer. */
      readonly delayed: readonly PersistentVolumeClaim[];
    };

/** The claim names the pod uses: persistentVolumeClaim volumes and generic ephemeral volumes. */
function claimNames(pod: Pod): { name: string; ephemeral: boolean }[] {
  const out: { name: string; ephemeral: boolean }[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim)
      out.push({ name: v.persistentVolumeClaim.claimName, ephemeral: false });
    else if (v.ephemeral)
      out.push({ name: `${pod.metadata?.name ?? ""}-${v.name}`, ephemeral: true });
  }
  return out;
}

function storageClassName(claim: PersistentVolumeClaim): string {
  return (
    claim.spec?.storageClassName ??
    claim.metadata?.annotations?.["volume.beta.kubernetes.io/storage-class"] ??
    ""
  );
}

export function classifyClaims(pod: Pod, lookups: Lookups): ClaimsVerdict {
  const names = claimNames(pod);
  if (names.length === 0) return { kind: "none" };
  const namespace = podNamespace(pod);
  const bound: { claim: string; pv: PersistentVolume | undefined }[] = [];
  const delayed: PersistentVolumeClaim[] = [];
  let immediateUnbound = false;
  for (const { name, ephemeral } of names) {
    const claim = lookups.getPVC?.(namespace, name);
    if (!claim) {
      return {
        kind: "rejected",
        reason: ephemeral
          ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"`
          : `persistentvolumeclaim "${name}" not found`,
      };
    }
    if (claim.metadata?.deletionTimestamp) {
      return { kind: "rejected", reason: `persistentvolumeclaim "${name}" is being deleted` };
    }
    const volumeName = claim.spec?.volumeName;
    if (volumeName) {
      bound.push({ claim: name, pv: lookups.getPV?.(volumeName) });
      continue;
    }
    const className = storageClassName(claim);
    const mode = className ? lookups.getStorageClass?.(className)?.volumeBindingMode : undefined;
    if (mode === "WaitForFirstConsumer") delayed.push(claim);
    else immediateUnbound = true;
  }
  if (immediateUnbound) return { kind: "rejected", reason: ERR_REASON_UNBOUND_IMMEDIATE };
  return { kind: "ok", bound, delayed };
}

/** Whether a volume may be used from this node (`spec.nodeAffinity.required`; none means anywhere). */
export function volumeFitsNode(pv: PersistentVolume, node: Node): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  try {
    return compileNodeSelector(required).matches(node);
  } catch {
    return false;
  }
}
