/**
 * The provisioner's decisions (rancher local-path-provisioner's Provision
 * and Delete, and the external-provisioner library's shouldProvision /
 * shouldDelete), as pure functions of the objects involved.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import {
  ANN_PROVISIONED_BY,
  ANN_SELECTED_NODE,
  annotation,
  claimClass,
  claimProvisioner,
  isWaitForFirstConsumer,
} from "../persistentvolume/annotations.js";

export const HOSTNAME_LABEL = "kubernetes.io/hostname";
const SUPPORTED_MODES = new Set(["ReadWriteOnce", "ReadWriteOncePod"]);

/** The volume a claim gets is named after the claim's UID, so a retry finds it again. */
export function volumeNameFor(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata?.uid ?? ""}`;
}

/** `<basePath>/pvc-<uid>_<namespace>_<name>`: the directory on the node. */
export function volumePath(claim: PersistentVolumeClaim, basePath: string): string {
  const dir = `${volumeNameFor(claim)}_${claim.metadata?.namespace ?? ""}_${claim.metadata?.name ?? ""}`;
  return `${basePath.replace(/\/+$/, "")}/${dir}`;
}

export interface ProvisionContext {
  /** This provisioner's name. */
  readonly provisioner: string;
  readonly basePath: string;
  readonly storageClass: (name: string) => StorageClass | undefined;
  readonly node: (name: string) => Node | undefined;
  readonly volumeExists: (name: string) => boolean;
}

export type ProvisionDecision =
  /** Not this provisioner's claim, or nothing to do yet. */
  | { readonly kind: "skip" }
  /** Ours, but something it needs is not in the cache yet: try again later. */
  | { readonly kind: "retry"; readonly message: string }
  /** Ours, and it cannot be served: tell the user. */
  | { readonly kind: "fail"; readonly message: string }
  | { readonly kind: "create"; readonly volume: PersistentVolume };

export function decideProvision(
  claim: PersistentVolumeClaim,
  ctx: ProvisionContext,
): ProvisionDecision {
  if (claim.spec?.volumeName || claim.metadata?.deletionTimestamp) return { kind: "skip" };
  if (claimProvisioner(claim) !== ctx.provisioner) return { kind: "skip" };
  const className = claimClass(claim);
  const sc = ctx.storageClass(className);
  if (!sc)
    return { kind: "retry", message: `storageclass.storage.k8s.io "${className}" not found` };
  if (sc.provisioner !== ctx.provisioner) return { kind: "skip" };
  const selected = annotation(claim, ANN_SELECTED_NODE);
  if (selected === undefined) {
    // WaitForFirstConsumer: the scheduler has not picked the node yet.
    if (isWaitForFirstConsumer(sc)) return { kind: "skip" };
    return { kind: "fail", message: "configuration error, no node was specified" };
  }
  if (ctx.volumeExists(volumeNameFor(claim))) return { kind: "skip" };
  const node = ctx.node(selected);
  if (!node)
    return { kind: "retry", message: `failed to get target node: node "${selected}" not found` };
  const why = unsupported(claim);
  if (why) return { kind: "fail", message: why };
  return { kind: "create", volume: localVolume(claim, { sc, node, ctx }) };
}

function unsupported(claim: PersistentVolumeClaim): string | undefined {
  if (claim.spec?.selector) return "claim.Spec.Selector is not supported";
  if (!(claim.spec?.accessModes ?? []).every((m) => SUPPORTED_MODES.has(m)))
    return "NodePath only supports ReadWriteOnce and ReadWriteOncePod access modes";
  if (claim.spec?.volumeMode === "Block") return "local-path only provides Filesystem volumes";
  return undefined;
}

/**
 * A hostPath volume on the node, pre-bound to the claim: the binder
 * completes the binding. The node is named by its hostname label, as
 * the kubelet's volume node affinity checks expect.
 */
function localVolume(
  claim: PersistentVolumeClaim,
  p: { sc: StorageClass; node: Node; ctx: ProvisionContext },
): PersistentVolume {
  const hostname = p.node.metadata?.labels?.[HOSTNAME_LABEL] ?? p.node.metadata?.name ?? "";
  const request = claim.spec?.resources?.requests?.storage;
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      name: volumeNameFor(claim),
      annotations: { [ANN_PROVISIONED_BY]: p.ctx.provisioner },
    },
    spec: {
      persistentVolumeReclaimPolicy: p.sc.reclaimPolicy ?? "Delete",
      storageClassName: p.sc.metadata?.name ?? "",
      accessModes: claim.spec?.accessModes ?? ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      capacity: request === undefined ? {} : { storage: request },
      hostPath: { path: volumePath(claim, p.ctx.basePath), type: "DirectoryOrCreate" },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: [hostname] }] },
          ],
        },
      },
      claimRef: {
        kind: "PersistentVolumeClaim",
        apiVersion: "v1",
        namespace: claim.metadata?.namespace ?? "",
        name: claim.metadata?.name ?? "",
        uid: claim.metadata?.uid ?? "",
        ...(claim.metadata?.resourceVersion
          ? { resourceVersion: claim.metadata.resourceVersion }
          : {}),
      },
      ...(p.sc.mountOptions ? { mountOptions: p.sc.mountOptions } : {}),
    },
  };
}

/** A Released volume this provisioner made, whose class said Delete: its data must go. */
export function shouldDelete(volume: PersistentVolume, provisioner: string): boolean {
  return (
    annotation(volume, ANN_PROVISIONED_BY) === provisioner &&
    volume.status?.phase === "Released" &&
    volume.spec?.persistentVolumeReclaimPolicy === "Delete" &&
    !volume.metadata?.deletionTimestamp
  );
}

/** Where a local-path volume's data is: its directory and the hostname its affinity names. */
export function volumeLocation(
  volume: PersistentVolume,
): { path: string; hostname: string } | { error: string } {
  const path = volume.spec?.hostPath?.path ?? volume.spec?.local?.path;
  if (!path) return { error: "no HostPath set" };
  const terms = volume.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const e of term.matchExpressions ?? []) {
      if (e.key !== HOSTNAME_LABEL || e.operator !== "In") continue;
      if (e.values?.length !== 1) return { error: "multiple values for the node affinity" };
      return { path, hostname: e.values[0] ?? "" };
    }
  }
  return { error: "cannot find affinited node" };
}
