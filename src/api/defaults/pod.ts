/**
 * Upstream's SetDefaults for pods and pod templates (core/v1 defaults.go
 * plus the declarative `+default` markers). A template gets the PodSpec
 * defaults; only a Pod gets the Pod-level ones (enableServiceLinks,
 * requests from limits, host-network ports, the Pending status).
 */
import { compareQuantities } from "../validation/quantity.js";
import {
  child,
  isObj,
  type Obj,
  obj,
  objList,
  setDefault,
  setDefaultString,
  str,
} from "../validation/shape.js";
import { defaultPersistentVolumeClaimSpec } from "./storage.js";

/** Pull policy: Always for `:latest` or an untagged image, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): string {
  if (image.includes("@")) return "IfNotPresent";
  const lastSlash = image.lastIndexOf("/");
  const lastColon = image.lastIndexOf(":");
  const tag = lastColon > lastSlash ? image.slice(lastColon + 1) : "";
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultHTTPGet(h: unknown): void {
  if (!isObj(h)) return;
  setDefaultString(h, "path", "/");
  setDefaultString(h, "scheme", "HTTP");
}

function defaultHandler(h: unknown): void {
  if (!isObj(h)) return;
  defaultHTTPGet(h.httpGet);
  if (isObj(h.grpc)) setDefault(h.grpc, "service", "");
}

function defaultProbe(probe: unknown): void {
  if (!isObj(probe)) return;
  for (const [k, v] of [
    ["timeoutSeconds", 1],
    ["periodSeconds", 10],
    ["successThreshold", 1],
    ["failureThreshold", 3],
  ] as const) {
    if (probe[k] === undefined || probe[k] === null || probe[k] === 0) probe[k] = v;
  }
  defaultHandler(probe);
}

function defaultFieldRef(ref: unknown): void {
  if (isObj(ref)) setDefaultString(ref, "apiVersion", "v1");
}

function defaultContainer(c: Obj): void {
  if (str(c.imagePullPolicy) === "") c.imagePullPolicy = defaultPullPolicy(str(c.image));
  setDefaultString(c, "terminationMessagePath", "/dev/termination-log");
  setDefaultString(c, "terminationMessagePolicy", "File");
  for (const port of objList(c.ports)) setDefaultString(port, "protocol", "TCP");
  for (const ev of objList(c.env)) if (isObj(ev.valueFrom)) defaultFieldRef(ev.valueFrom.fieldRef);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

const VOLUME_SOURCES = [
  "hostPath",
  "emptyDir",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "secret",
  "nfs",
  "iscsi",
  "glusterfs",
  "persistentVolumeClaim",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "downwardAPI",
  "fc",
  "azureFile",
  "configMap",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "projected",
  "portworxVolume",
  "scaleIO",
  "storageos",
  "csi",
  "ephemeral",
  "image",
];

function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  if (isObj(v.hostPath)) setDefault(v.hostPath, "type", "");
  for (const k of ["secret", "configMap", "downwardAPI", "projected"]) {
    if (isObj(v[k])) setDefault(v[k], "defaultMode", 420);
  }
  if (isObj(v.downwardAPI))
    for (const item of objList(v.downwardAPI.items)) defaultFieldRef(item.fieldRef);
  if (isObj(v.projected)) {
    for (const src of objList(v.projected.sources)) {
      if (isObj(src.downwardAPI))
        for (const item of objList(src.downwardAPI.items)) defaultFieldRef(item.fieldRef);
      if (isObj(src.serviceAccountToken))
        setDefault(src.serviceAccountToken, "expirationSeconds", 3600);
    }
  }
  if (isObj(v.iscsi)) {
    setDefaultString(v.iscsi, "iscsiInterface", "default");
  }
  if (isObj(v.rbd)) {
    setDefaultString(v.rbd, "pool", "rbd");
    setDefaultString(v.rbd, "user", "admin");
    setDefaultString(v.rbd, "keyring", "/etc/ceph/keyring");
  }
  if (isObj(v.azureDisk)) {
    setDefault(v.azureDisk, "cachingMode", "ReadWrite");
    setDefault(v.azureDisk, "fsType", "ext4");
    setDefault(v.azureDisk, "readOnly", false);
    setDefault(v.azureDisk, "kind", "Shared");
  }
  if (isObj(v.scaleIO)) {
    setDefaultString(v.scaleIO, "storageMode", "ThinProvisioned");
    setDefaultString(v.scaleIO, "fsType", "xfs");
  }
  if (isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate)) {
    defaultPersistentVolumeClaimSpec(child(v.ephemeral.volumeClaimTemplate, "spec"));
  }
  if (isObj(v.image) && str(v.image.pullPolicy) === "")
    v.image.pullPolicy = defaultPullPolicy(str(v.image.reference));
}

/** SetDefaults_PodSpec and everything nested in it. */
export function defaultPodSpec(spec: Obj): void {
  setDefaultString(spec, "dnsPolicy", "ClusterFirst");
  setDefaultString(spec, "restartPolicy", "Always");
  setDefault(spec, "securityContext", {});
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefaultString(spec, "schedulerName", "default-scheduler");
  for (const v of objList(spec.volumes)) defaultVolume(v);
  for (const key of ["initContainers", "containers", "ephemeralContainers"]) {
    for (const c of objList(spec[key])) defaultContainer(c);
  }
}

/** Pod templates (workloads, PodTemplate): the spec defaults only. */
export function defaultPodTemplateSpec(template: unknown): void {
  if (!isObj(template)) return;
  defaultPodSpec(child(template, "spec"));
}

function defaultRequestsFromLimits(c: Obj): void {
  const res = c.resources;
  if (!isObj(res) || !isObj(res.limits)) return;
  const requests = child(res, "requests");
  for (const [k, v] of Object.entries(res.limits)) if (!Object.hasOwn(requests, k)) requests[k] = v;
}

/** The QoS class upstream computes at creation (cpu and memory only). */
export function podQOSClass(spec: Obj): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = [...objList(spec.containers), ...objList(spec.initContainers)];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const res = obj(c.resources);
    const req = obj(res.requests);
    const lim = obj(res.limits);
    for (const r of ["cpu", "memory"]) {
      const hasReq = Object.hasOwn(req, r) && compareQuantities(req[r], "0") !== 0;
      const hasLim = Object.hasOwn(lim, r) && compareQuantities(lim[r], "0") !== 0;
      if (hasReq || hasLim) any = true;
      if (!hasLim) guaranteed = false;
      else if (hasReq && compareQuantities(req[r], lim[r]) !== 0) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** SetDefaults_Pod on top of the spec defaults, and the Pending status of a new pod. */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, "spec");
  for (const key of ["containers", "initContainers"])
    for (const c of objList(spec[key])) defaultRequestsFromLimits(c);
  setDefault(spec, "enableServiceLinks", true);
  if (spec.hostNetwork === true) {
    for (const key of ["containers", "initContainers"]) {
      for (const c of objList(spec[key])) {
        for (const port of objList(c.ports)) {
          if (port.hostPort === undefined || port.hostPort === null || port.hostPort === 0)
            port.hostPort = port.containerPort;
        }
      }
    }
  }
  defaultPodSpec(spec);
  const status = child(pod, "status");
  if (str(status.phase) === "") {
    status.phase = "Pending";
    status.qosClass = podQOSClass(spec);
  }
}
