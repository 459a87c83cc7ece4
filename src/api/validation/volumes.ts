/** Pod volumes: unique DNS-label names with exactly one source each. */
import {
  duplicate,
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  required,
} from "../../machinery/field-errors.js";
import {
  validateLocalDescendingPath,
  validateLocalNonReservedPath,
  validateObjectFieldSelector,
  validatePathNoBacksteps,
} from "./container.js";
import { isDNS1123Label, isDNS1123Subdomain } from "./names.js";
import { validateQuantity } from "./resources.js";
import { isObj, list, num, type Obj, objList, str } from "./shape.js";

/** Volume source fields in the order upstream checks them (which one is "extra" matters). */
const SOURCES: ReadonlyArray<readonly [key: string, forbiddenPath: string]> = [
  ["emptyDir", "emptyDir"],
  ["hostPath", "hostPath"],
  ["gitRepo", "gitRepo"],
  ["gcePersistentDisk", "gcePersistentDisk"],
  ["awsElasticBlockStore", "awsElasticBlockStore"],
  ["secret", "secret"],
  ["nfs", "nfs"],
  ["iscsi", "iscsi"],
  ["glusterfs", "glusterfs"],
  ["flocker", "flocker"],
  ["persistentVolumeClaim", "persistentVolumeClaim"],
  ["rbd", "rbd"],
  ["cinder", "cinder"],
  ["cephfs", "cephFS"],
  ["quobyte", "quobyte"],
  ["downwardAPI", "downwarAPI"],
  ["fc", "fc"],
  ["flexVolume", "flexVolume"],
  ["configMap", "configMap"],
  ["azureFile", "azureFile"],
  ["vsphereVolume", "vsphereVolume"],
  ["photonPersistentDisk", "photonPersistentDisk"],
  ["portworxVolume", "portworxVolume"],
  ["azureDisk", "azureDisk"],
  ["storageos", "storageos"],
  ["projected", "projected"],
  ["scaleIO", "scaleIO"],
  ["csi", "csi"],
  ["ephemeral", "ephemeral"],
  ["image", "image"],
];

const FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive";
const HOST_PATH_TYPES = [
  "",
  "BlockDevice",
  "CharDevice",
  "Directory",
  "DirectoryOrCreate",
  "File",
  "FileOrCreate",
  "Socket",
];
const VOLUME_FIELD_PATHS = [
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
];

function validateMode(mode: unknown, p: FieldPath): FieldError[] {
  const m = num(mode);
  return m !== undefined && (m > 0o777 || m < 0) ? [invalid(p, m, FILE_MODE_ERROR)] : [];
}

function validateKeyToPath(kp: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(kp.key).length === 0) errs.push(required(p.child("key")));
  if (str(kp.path).length === 0) errs.push(required(p.child("path")));
  errs.push(...validateLocalNonReservedPath(str(kp.path), p.child("path")));
  errs.push(...validateMode(kp.mode, p.child("mode")));
  return errs;
}

function validateDownwardAPIFile(file: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(file.path).length === 0) errs.push(required(p.child("path")));
  errs.push(...validateLocalNonReservedPath(str(file.path), p.child("path")));
  if (isObj(file.fieldRef)) {
    errs.push(
      ...validateObjectFieldSelector(file.fieldRef, VOLUME_FIELD_PATHS, p.child("fieldRef")),
    );
    if (isObj(file.resourceFieldRef)) {
      errs.push(
        invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"),
      );
    }
  } else if (isObj(file.resourceFieldRef)) {
    if (str(file.resourceFieldRef.containerName).length === 0) {
      errs.push(required(p.child("resourceFieldRef", "containerName")));
    }
  } else {
    errs.push(required(p, "one of fieldRef and resourceFieldRef is required"));
  }
  errs.push(...validateMode(file.mode, p.child("mode")));
  return errs;
}

function validateProjected(src: Obj, p: FieldPath, isPod: boolean): FieldError[] {
  const errs = validateMode(src.defaultMode, p.child("defaultMode"));
  const paths = new Set<string>();
  const track = (pathText: string, value: string): void => {
    if (pathText.length === 0) return;
    if (paths.has(pathText)) errs.push(invalid(p, value, "conflicting duplicate paths"));
    paths.add(pathText);
  };
  objList(src.sources).forEach((s, i) => {
    const sp = p.child("sources").index(i);
    let n = 0;
    for (const kind of ["secret", "configMap"]) {
      const ref = s[kind];
      if (!isObj(ref)) continue;
      n++;
      if (str(ref.name).length === 0) errs.push(required(sp.child(kind, "name")));
      objList(ref.items).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, sp.child(kind, "items").index(j)));
        track(str(kp.path), str(ref.name));
      });
    }
    if (isObj(s.downwardAPI)) {
      n++;
      for (const file of objList(s.downwardAPI.items)) {
        errs.push(...validateDownwardAPIFile(file, sp.child("downwardAPI")));
        track(str(file.path), str(file.path));
      }
    }
    if (isObj(s.serviceAccountToken)) {
      n++;
      const tp = sp.child("serviceAccountToken");
      const exp = num(s.serviceAccountToken.expirationSeconds) ?? 0;
      if (exp < 600) {
        errs.push(
          invalid(
            tp.child("expirationSeconds"),
            exp,
            "may not specify a duration less than 10 minutes",
          ),
        );
      }
      if (exp > 2 ** 32) {
        errs.push(
          invalid(
            tp.child("expirationSeconds"),
            exp,
            "may not specify a duration larger than 2^32 seconds",
          ),
        );
      }
      const tokenPath = str(s.serviceAccountToken.path);
      if (tokenPath.length === 0) errs.push(required(p.child("path")));
      else if (isPod) errs.push(...validateLocalNonReservedPath(tokenPath, p.child("path")));
    }
    if (isObj(s.clusterTrustBundle)) {
      n++;
      if (str(s.clusterTrustBundle.path).length === 0)
        errs.push(required(sp.child("clusterTrustBundle", "path")));
    }
    if (n > 1) errs.push(forbidden(sp, "may not specify more than 1 volume type per source"));
  });
  return errs;
}

function validateSource(key: string, src: Obj, p: FieldPath, isPod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  switch (key) {
    case "emptyDir":
      if (src.sizeLimit !== undefined)
        errs.push(...validateQuantity("sizeLimit", src.sizeLimit, p.child("sizeLimit")));
      break;
    case "hostPath": {
      const hp = str(src.path);
      if (hp.length === 0) return [required(p.child("path"))];
      errs.push(...validatePathNoBacksteps(hp, p.child("path")));
      if (typeof src.type === "string" && !HOST_PATH_TYPES.includes(src.type)) {
        errs.push(notSupported(p.child("type"), src.type, HOST_PATH_TYPES));
      }
      break;
    }
    case "gitRepo":
      if (str(src.repository).length === 0) errs.push(required(p.child("repository")));
      errs.push(...validateLocalDescendingPath(str(src.directory), p.child("directory")));
      break;
    case "secret":
      if (str(src.secretName).length === 0) errs.push(required(p.child("secretName")));
      errs.push(...validateMode(src.defaultMode, p.child("defaultMode")));
      objList(src.items).forEach((kp, i) => {
        errs.push(...validateKeyToPath(kp, p.child("items").index(i)));
      });
      break;
    case "configMap":
      if (str(src.name).length === 0) errs.push(required(p.child("name")));
      errs.push(...validateMode(src.defaultMode, p.child("defaultMode")));
      objList(src.items).forEach((kp, i) => {
        errs.push(...validateKeyToPath(kp, p.child("items").index(i)));
      });
      break;
    case "nfs":
      if (str(src.server).length === 0) errs.push(required(p.child("server")));
      if (str(src.path).length === 0) errs.push(required(p.child("path")));
      if (!str(src.path).startsWith("/"))
        errs.push(invalid(p.child("path"), str(src.path), "must be an absolute path"));
      break;
    case "persistentVolumeClaim":
      if (str(src.claimName).length === 0) errs.push(required(p.child("claimName")));
      break;
    case "downwardAPI":
      errs.push(...validateMode(src.defaultMode, p.child("defaultMode")));
      for (const file of objList(src.items)) errs.push(...validateDownwardAPIFile(file, p));
      break;
    case "projected":
      errs.push(...validateProjected(src, p, isPod));
      break;
    case "csi": {
      const driver = str(src.driver);
      if (driver.length === 0) errs.push(required(p.child("driver")));
      else
        for (const m of isDNS1123Subdomain(driver.toLowerCase()))
          errs.push(invalid(p.child("driver"), driver, m));
      break;
    }
    case "ephemeral":
      if (!isObj(src.volumeClaimTemplate)) errs.push(required(p.child("volumeClaimTemplate")));
      break;
    case "image":
      if (str(src.reference).length === 0) errs.push(required(p.child("reference")));
      break;
    default:
      break;
  }
  return errs;
}

/**
 * Validates spec.volumes; returns the errors and the volumes that passed,
 * by name (mounts may only reference those, as upstream does).
 */
export function validateVolumes(
  volumes: unknown,
  p: FieldPath,
  opts: { isPod: boolean },
): { errors: FieldError[]; valid: Map<string, Obj> } {
  const errors: FieldError[] = [];
  const valid = new Map<string, Obj>();
  const names = new Set<string>();
  objList(volumes).forEach((vol, i) => {
    const ip = p.index(i);
    const el: FieldError[] = [];
    let sources = 0;
    for (const [key, forbiddenPath] of SOURCES) {
      const src = vol[key];
      if (!isObj(src)) continue;
      if (sources > 0) {
        el.push(forbidden(ip.child(forbiddenPath), "may not specify more than 1 volume type"));
        continue;
      }
      sources++;
      el.push(...validateSource(key, src, ip.child(key), opts.isPod));
    }
    if (sources === 0) el.push(required(ip, "must specify a volume type"));
    const name = str(vol.name);
    if (name.length === 0) el.push(required(ip.child("name")));
    else for (const m of isDNS1123Label(name)) el.push(invalid(ip.child("name"), name, m));
    if (names.has(name)) el.push(duplicate(ip.child("name"), name));
    if (el.length === 0) {
      names.add(name);
      valid.set(name, vol);
    } else {
      errors.push(...el);
    }
  });
  return { errors, valid };
}

/** Whether any projected volume asks for a service account token. */
export function projectedTokenSources(volumes: unknown): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  list(volumes).forEach((v, vi) => {
    if (!isObj(v) || !isObj(v.projected)) return;
    objList(v.projected.sources).forEach((s, si) => {
      if (isObj(s.serviceAccountToken)) out.push([vi, si]);
    });
  });
  return out;
}
