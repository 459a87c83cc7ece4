/** Defaults of the smaller core/v1 kinds. */
import { child, isObj, type Obj, objList, setDefaultString, str } from "../validation/shape.js";
import { defaultPodTemplateSpec } from "./pod.js";

/** SetDefaults_Namespace (name label), NamespaceStatus, and the registry's `kubernetes` finalizer. */
export function defaultNamespace(ns: Obj): void {
  const meta = child(ns, "metadata");
  const name = str(meta.name);
  if (name !== "") child(meta, "labels")["kubernetes.io/metadata.name"] = name;
  const spec = child(ns, "spec");
  if (!Array.isArray(spec.finalizers)) spec.finalizers = ["kubernetes"];
  setDefaultString(child(ns, "status"), "phase", "Active");
}

/** SetDefaults_Secret, and stringData folded into data as the v1 conversion does. */
export function defaultSecret(secret: Obj): void {
  setDefaultString(secret, "type", "Opaque");
  if (isObj(secret.stringData)) {
    const data = child(secret, "data");
    for (const [k, v] of Object.entries(secret.stringData)) {
      data[k] = Buffer.from(typeof v === "string" ? v : "", "utf8").toString("base64");
    }
    delete secret.stringData;
  }
}

export function defaultEndpoints(ep: Obj): void {
  for (const ss of objList(ep.subsets))
    for (const p of objList(ss.ports)) setDefaultString(p, "protocol", "TCP");
}

/** SetDefaults_NodeStatus: allocatable starts as capacity. */
export function defaultNode(node: Obj): void {
  const status = node.status;
  if (isObj(status) && isObj(status.capacity) && !isObj(status.allocatable)) {
    status.allocatable = { ...status.capacity };
  }
}

/** SetDefaults_ReplicationController: selector and labels from the template, one replica. */
export function defaultReplicationController(rc: Obj): void {
  const spec = child(rc, "spec");
  const template = spec.template;
  const labels =
    isObj(template) && isObj(template.metadata) && isObj(template.metadata.labels)
      ? template.metadata.labels
      : undefined;
  if (labels !== undefined) {
    if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0)
      spec.selector = { ...labels };
    const meta = child(rc, "metadata");
    if (!isObj(meta.labels) || Object.keys(meta.labels).length === 0) meta.labels = { ...labels };
  }
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  defaultPodTemplateSpec(template);
}

export function defaultPodTemplate(pt: Obj): void {
  defaultPodTemplateSpec(pt.template);
}

/** SetDefaults_LimitRangeItem: container defaults flow max → default → defaultRequest ← min. */
export function defaultLimitRange(lr: Obj): void {
  for (const item of objList(child(lr, "spec").limits)) {
    if (item.type !== "Container") continue;
    const def = child(item, "default");
    const defReq = child(item, "defaultRequest");
    for (const [k, v] of Object.entries(isObj(item.max) ? item.max : {}))
      if (!Object.hasOwn(def, k)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!Object.hasOwn(defReq, k)) defReq[k] = v;
    for (const [k, v] of Object.entries(isObj(item.min) ? item.min : {}))
      if (!Object.hasOwn(defReq, k)) defReq[k] = v;
  }
}
