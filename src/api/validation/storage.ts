/** PersistentVolume, PersistentVolumeClaim and storage.k8s.io StorageClass. */
import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  path,
  required,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { validateImmutable } from "./metadata.js";
import { isDNS1123Subdomain, isQualifiedName } from "./names.js";
import { parseQuantity, quantityText } from "./quantity.js";
import { validateQuantity } from "./resources.js";
import { validateLabelSelector } from "./selector.js";
import { clone, isObj, type Obj, semanticEqual, str, strList } from "./shape.js";

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const VOLUME_MODES = ["Block", "Filesystem"];
const PV_SOURCES = [
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "hostPath",
  "glusterfs",
  "nfs",
  "rbd",
  "quobyte",
  "cephfs",
  "iscsi",
  "cinder",
  "fc",
  "flocker",
  "flexVolume",
  "azureFile",
  "vsphereVolume",
  "photonPersistentDisk",
  "portworxVolume",
  "azureDisk",
  "scaleIO",
  "local",
  "storageos",
  "csi",
];

const spec = (o: KubeObject): Obj => (isObj(o.spec) ? o.spec : {});

function validateAccessModes(modes: string[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let once = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) errs.push(notSupported(p, m, ACCESS_MODES));
    if (m === "ReadWriteOncePod") once = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (once && other)
    errs.push(forbidden(p, "may not use ReadWriteOncePod with other access modes"));
  return errs;
}

export function validatePersistentVolumeClaimSpec(s: unknown, p: FieldPath): FieldError[] {
  const sp = isObj(s) ? s : {};
  const errs: FieldError[] = [];
  const modes = strList(sp.accessModes);
  if (modes.length === 0)
    errs.push(required(p.child("accessModes"), "at least 1 access mode is required"));
  errs.push(...validateLabelSelector(sp.selector, p.child("selector")));
  errs.push(...validateAccessModes(modes, p.child("accessModes")));
  const requests = isObj(sp.resources) && isObj(sp.resources.requests) ? sp.resources.requests : {};
  const sizePath = p.child("resources").key("storage");
  if (!Object.hasOwn(requests, "storage")) errs.push(required(sizePath));
  else {
    const v = parseQuantity(requests.storage);
    if (v !== undefined && v <= 0)
      errs.push(invalid(sizePath, quantityText(requests.storage), "must be greater than zero"));
    else errs.push(...validateQuantity("storage", requests.storage, sizePath));
  }
  const sc = str(sp.storageClassName);
  for (const m of sc.length > 0 ? isDNS1123Subdomain(sc) : [])
    errs.push(invalid(p.child("storageClassName"), sc, m));
  if (typeof sp.volumeMode === "string" && !VOLUME_MODES.includes(sp.volumeMode)) {
    errs.push(notSupported(p.child("volumeMode"), sp.volumeMode, VOLUME_MODES));
  }
  return errs;
}

export function validatePersistentVolumeClaim(pvc: KubeObject): FieldError[] {
  return validatePersistentVolumeClaimSpec(pvc.spec, path("spec"));
}

export function validatePersistentVolumeClaimUpdate(
  pvc: KubeObject,
  old: KubeObject,
): FieldError[] {
  const errs: FieldError[] = [];
  const a = clone(spec(pvc));
  const b = clone(spec(old));
  if (str(b.volumeName) === "") b.volumeName = a.volumeName;
  const bound = isObj(pvc.status) && pvc.status.phase === "Bound";
  if (bound) {
    for (const s of [a, b])
      if (isObj(s.resources) && isObj(s.resources.requests)) delete s.resources.requests.storage;
    a.volumeAttributesClassName = b.volumeAttributesClassName;
  }
  if (!semanticEqual(a, b)) {
    errs.push(
      forbidden(
        path("spec"),
        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
      ),
    );
  }
  const req = (o: KubeObject) => {
    const r = spec(o).resources;
    return isObj(r) && isObj(r.requests) ? r.requests.storage : undefined;
  };
  const next = parseQuantity(req(pvc));
  const prev = parseQuantity(req(old));
  if (next !== undefined && prev !== undefined && next < prev) {
    errs.push(
      forbidden(
        path("spec", "resources", "requests", "storage"),
        "field can not be less than previous value",
      ),
    );
  }
  return errs;
}

export function validatePersistentVolume(pv: KubeObject): FieldError[] {
  const s = spec(pv);
  const p = path("spec");
  const errs: FieldError[] = [];
  const modes = strList(s.accessModes);
  if (modes.length === 0) errs.push(required(p.child("accessModes")));
  errs.push(...validateAccessModes(modes, p.child("accessModes")));
  const capacity = isObj(s.capacity) ? s.capacity : {};
  if (Object.keys(capacity).length === 0) errs.push(required(p.child("capacity")));
  if (!Object.hasOwn(capacity, "storage") || Object.keys(capacity).length > 1) {
    errs.push(notSupported(p.child("capacity"), capacity, ["storage"]));
  }
  for (const [k, v] of Object.entries(capacity))
    errs.push(...validateQuantity(k, v, p.child("capacity").key(k)));
  const policy = str(s.persistentVolumeReclaimPolicy);
  if (policy.length > 0 && !["Delete", "Recycle", "Retain"].includes(policy)) {
    errs.push(
      notSupported(p.child("persistentVolumeReclaimPolicy"), policy, [
        "Delete",
        "Recycle",
        "Retain",
      ]),
    );
  }
  let sources = 0;
  for (const key of PV_SOURCES) {
    if (!isObj(s[key])) continue;
    if (sources > 0) errs.push(forbidden(p.child(key), "may not specify more than 1 volume type"));
    sources++;
  }
  if (sources === 0) errs.push(required(p, "must specify a volume type"));
  const sc = str(s.storageClassName);
  for (const m of sc.length > 0 ? isDNS1123Subdomain(sc) : [])
    errs.push(invalid(p.child("storageClassName"), sc, m));
  if (typeof s.volumeMode === "string" && !VOLUME_MODES.includes(s.volumeMode)) {
    errs.push(notSupported(p.child("volumeMode"), s.volumeMode, VOLUME_MODES));
  }
  return errs;
}

export function validatePersistentVolumeUpdate(pv: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of PV_SOURCES) {
    if (isObj(spec(old)[key]) || isObj(spec(pv)[key])) {
      errs.push(
        ...validateImmutable(spec(pv)[key], spec(old)[key], path("spec", "persistentvolumesource")),
      );
      break;
    }
  }
  errs.push(...validateImmutable(spec(pv).volumeMode, spec(old).volumeMode, path("volumeMode")));
  return errs;
}

const RECLAIM = ["Delete", "Retain"];
const BINDING = ["Immediate", "WaitForFirstConsumer"];

export function validateStorageClass(sc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const prov = str(sc.provisioner);
  if (prov.length === 0) errs.push(required(path("provisioner")));
  else {
    for (const m of isQualifiedName(prov.toLowerCase()))
      errs.push(invalid(path("provisioner"), prov, m));
  }
  const rp = str(sc.reclaimPolicy);
  if (!RECLAIM.includes(rp)) errs.push(notSupported(path("reclaimPolicy"), rp, RECLAIM));
  const mode = str(sc.volumeBindingMode);
  if (mode.length === 0) errs.push(required(path("volumeBindingMode")));
  else if (!BINDING.includes(mode))
    errs.push(notSupported(path("volumeBindingMode"), mode, BINDING));
  return errs;
}

export function validateStorageClassUpdate(sc: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!semanticEqual(sc.parameters, old.parameters)) {
    errs.push(forbidden(path("parameters"), "updates to parameters are forbidden."));
  }
  if (str(sc.provisioner) !== str(old.provisioner)) {
    errs.push(forbidden(path("provisioner"), "updates to provisioner are forbidden."));
  }
  if (str(sc.reclaimPolicy) !== str(old.reclaimPolicy)) {
    errs.push(forbidden(path("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
  }
  errs.push(
    ...validateImmutable(sc.volumeBindingMode, old.volumeBindingMode, path("volumeBindingMode")),
  );
  return errs;
}
