/** PersistentVolume(Claim) and storage.k8s.io defaults. */
import { child, isObj, type Obj, setDefault, setDefaultString } from "../validation/shape.js";

export function defaultPersistentVolumeClaimSpec(spec: Obj): void {
  setDefault(spec, "volumeMode", "Filesystem");
}

export function defaultPersistentVolumeClaim(pvc: Obj): void {
  defaultPersistentVolumeClaimSpec(child(pvc, "spec"));
  setDefaultString(child(pvc, "status"), "phase", "Pending");
}

export function defaultPersistentVolume(pv: Obj): void {
  const spec = child(pv, "spec");
  setDefaultString(spec, "persistentVolumeReclaimPolicy", "Retain");
  setDefault(spec, "volumeMode", "Filesystem");
  setDefaultString(child(pv, "status"), "phase", "Pending");
  if (isObj(spec.hostPath)) setDefault(spec.hostPath, "type", "");
}

export function defaultStorageClass(sc: Obj): void {
  setDefaultString(sc, "reclaimPolicy", "Delete");
  setDefaultString(sc, "volumeBindingMode", "Immediate");
}
