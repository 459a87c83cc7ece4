/** Storage: persistent volumes and claims, storage classes, CSI objects. */
import type { PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import type {
  CSIDriver,
  CSINode,
  CSIStorageCapacity,
  StorageClass,
  VolumeAttachment,
} from "kubernetes-types/storage/v1.js";
import type { KubeObject } from "../strategy.js";
import { since } from "./duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, nameOf, quantity, view, wide } from "./format.js";
import type { TablePrinter } from "./types.js";

const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

function age(obj: KubeObject, now: Date): string {
  return since(obj.metadata?.creationTimestamp, now);
}

/** `RWO,ROX,RWX,RWOP` in that fixed order, each once. */
export function accessModes(modes: readonly string[] | undefined): string {
  const present = new Set(modes ?? []);
  const out: string[] = [];
  if (present.has("ReadWriteOnce")) out.push("RWO");
  if (present.has("ReadOnlyMany")) out.push("ROX");
  if (present.has("ReadWriteMany")) out.push("RWX");
  if (present.has("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

function betaClass(obj: KubeObject): string | undefined {
  return obj.metadata?.annotations?.[BETA_CLASS_ANNOTATION];
}

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Capacity", { description: "Storage size of the volume." }),
    column("Access Modes", { description: "How the volume can be mounted." }),
    column("Reclaim Policy", { description: "What happens to the volume when released." }),
    column("Status", { description: "Phase of the volume." }),
    column("Claim", { description: "The claim bound to the volume, as namespace/name." }),
    column("StorageClass", { description: "Storage class of the volume." }),
    column("VolumeAttributesClass", { description: "Volume attributes class of the volume." }),
    column("Reason", { description: "Why the volume is in its phase, if it says." }),
    AGE_COLUMN,
    wide("VolumeMode", "Filesystem or Block."),
  ],
  row(obj, now) {
    const pv = view<PersistentVolume>(obj);
    const ref = pv.spec?.claimRef;
    return [
      nameOf(obj),
      quantity(pv.spec?.capacity?.storage),
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? "",
      obj.metadata?.deletionTimestamp ? "Terminating" : (pv.status?.phase ?? ""),
      ref ? `${ref.namespace ?? ""}/${ref.name ?? ""}` : "",
      betaClass(obj) ?? pv.spec?.storageClassName ?? "",
      pv.spec?.volumeAttributesClassName ?? "<unset>",
      pv.status?.reason ?? "",
      age(obj, now),
      pv.spec?.volumeMode ?? "<unset>",
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", { description: "Phase of the claim." }),
    column("Volume", { description: "The volume bound to the claim." }),
    column("Capacity", { description: "Storage size of the bound volume." }),
    column("Access Modes", { description: "How the bound volume can be mounted." }),
    column("StorageClass", { description: "Storage class the claim asks for." }),
    column("VolumeAttributesClass", { description: "Volume attributes class of the claim." }),
    AGE_COLUMN,
    wide("VolumeMode", "Filesystem or Block."),
  ],
  row(obj, now) {
    const pvc = view<PersistentVolumeClaim>(obj);
    const volumeName = pvc.spec?.volumeName ?? "";
    const bound = volumeName !== "";
    return [
      nameOf(obj),
      obj.metadata?.deletionTimestamp ? "Terminating" : (pvc.status?.phase ?? ""),
      volumeName,
      bound ? quantity(pvc.status?.capacity?.storage) : "",
      bound ? accessModes(pvc.status?.accessModes) : "",
      betaClass(obj) ?? pvc.spec?.storageClassName ?? "",
      pvc.spec?.volumeAttributesClassName ?? "<unset>",
      age(obj, now),
      pvc.spec?.volumeMode ?? "<unset>",
    ];
  },
};

function isDefaultClass(obj: KubeObject): boolean {
  const a = obj.metadata?.annotations ?? {};
  return (
    a["storageclass.kubernetes.io/is-default-class"] === "true" ||
    a["storageclass.beta.kubernetes.io/is-default-class"] === "true"
  );
}

export const storageClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Provisioner", { description: "Volume plugin that provisions volumes of this class." }),
    column("ReclaimPolicy", { description: "Reclaim policy given to provisioned volumes." }),
    column("VolumeBindingMode", { description: "When claims of this class are bound." }),
    column("AllowVolumeExpansion", { description: "Whether claims may grow after creation." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const sc = view<StorageClass>(obj);
    return [
      isDefaultClass(obj) ? `${nameOf(obj)} (default)` : nameOf(obj),
      sc.provisioner ?? "",
      sc.reclaimPolicy ?? "Delete",
      sc.volumeBindingMode ?? "Immediate",
      sc.allowVolumeExpansion ?? false,
      age(obj, now),
    ];
  },
};

export const volumeAttributesClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("DriverName", { description: "CSI driver the class applies to." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const annotations = obj.metadata?.annotations ?? {};
    const isDefault =
      annotations["volumeattributesclass.alpha.kubernetes.io/is-default-class"] === "true";
    return [
      isDefault ? `${nameOf(obj)} (default)` : nameOf(obj),
      String(obj.driverName ?? ""),
      age(obj, now),
    ];
  },
};

export const csiDriverPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("AttachRequired", { type: "boolean", description: "Whether volumes need attaching." }),
    column("PodInfoOnMount", { type: "boolean", description: "Whether mounts receive pod info." }),
    column("StorageCapacity", {
      type: "boolean",
      description: "Whether the scheduler considers reported capacity.",
    }),
    column("TokenRequests", { description: "Audiences of service account tokens passed on." }),
    column("RequiresRepublish", {
      type: "boolean",
      description: "Whether volumes are periodically re-published.",
    }),
    column("Modes", { description: "Volume lifecycle modes the driver supports." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const spec = view<CSIDriver>(obj).spec;
    const modes = (spec?.volumeLifecycleModes ?? []).join(",");
    const tokens = spec?.tokenRequests;
    return [
      nameOf(obj),
      spec?.attachRequired ?? true,
      spec?.podInfoOnMount ?? false,
      spec?.storageCapacity ?? false,
      tokens ? tokens.map((t) => t.audience).join(",") : "<unset>",
      spec?.requiresRepublish ?? false,
      modes === "" ? "<none>" : modes,
      age(obj, now),
    ];
  },
};

export const csiNodePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Drivers", { type: "integer", description: "CSI drivers registered on the node." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    return [nameOf(obj), view<CSINode>(obj).spec?.drivers?.length ?? 0, age(obj, now)];
  },
};

export const volumeAttachmentPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Attacher", { format: "name", description: "Driver that attaches the volume." }),
    column("PV", { description: "The persistent volume being attached." }),
    column("Node", { description: "The node the volume is attached to." }),
    column("Attached", { type: "boolean", description: "Whether the attach succeeded." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const va = view<VolumeAttachment>(obj);
    return [
      nameOf(obj),
      va.spec?.attacher ?? "",
      va.spec?.source?.persistentVolumeName ?? "",
      va.spec?.nodeName ?? "",
      va.status?.attached ?? false,
      age(obj, now),
    ];
  },
};

export const csiStorageCapacityPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("StorageClassName", { description: "Storage class the capacity applies to." }),
    column("Capacity", { description: "Capacity reported for the topology segment." }),
  ],
  row(obj) {
    const csc = view<CSIStorageCapacity>(obj);
    const cap = csc.capacity;
    return [
      nameOf(obj),
      csc.storageClassName ?? "",
      cap === undefined || cap === null ? "<unset>" : String(cap),
    ];
  },
};
