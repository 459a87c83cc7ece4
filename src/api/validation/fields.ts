/** Field-selector values per kind, as upstream registries declare them (beyond metadata.name/namespace). */
import type { KubeObject } from "../strategy.js";
import { isObj, num, type Obj, objList, str } from "./shape.js";

const o = (v: unknown): Obj => (isObj(v) ? v : {});

export function podFields(pod: KubeObject): Record<string, string> {
  const spec = o(pod.spec);
  const status = o(pod.status);
  const ips = objList(status.podIPs);
  return {
    "spec.nodeName": str(spec.nodeName),
    "spec.restartPolicy": str(spec.restartPolicy),
    "spec.schedulerName": str(spec.schedulerName),
    "spec.serviceAccountName": str(spec.serviceAccountName),
    "spec.hostNetwork": String(spec.hostNetwork === true),
    "status.phase": str(status.phase),
    "status.podIP": ips.length > 0 ? str(ips[0]?.ip) : "",
    "status.nominatedNodeName": str(status.nominatedNodeName),
  };
}

export function coreEventFields(ev: KubeObject): Record<string, string> {
  const io = o(ev.involvedObject);
  const source = str(o(ev.source).component);
  return {
    "involvedObject.kind": str(io.kind),
    "involvedObject.namespace": str(io.namespace),
    "involvedObject.name": str(io.name),
    "involvedObject.uid": str(io.uid),
    "involvedObject.apiVersion": str(io.apiVersion),
    "involvedObject.resourceVersion": str(io.resourceVersion),
    "involvedObject.fieldPath": str(io.fieldPath),
    reason: str(ev.reason),
    reportingComponent: str(ev.reportingComponent),
    source,
    type: str(ev.type),
  };
}

/** events.k8s.io/v1 names the same data `regarding`, `reportingController`. */
export function eventsV1Fields(ev: KubeObject): Record<string, string> {
  const r = o(ev.regarding);
  return {
    "regarding.kind": str(r.kind),
    "regarding.namespace": str(r.namespace),
    "regarding.name": str(r.name),
    "regarding.uid": str(r.uid),
    "regarding.apiVersion": str(r.apiVersion),
    "regarding.resourceVersion": str(r.resourceVersion),
    "regarding.fieldPath": str(r.fieldPath),
    reason: str(ev.reason),
    reportingController: str(ev.reportingController),
    type: str(ev.type),
  };
}

export function secretFields(s: KubeObject): Record<string, string> {
  return { type: str(s.type) };
}

export function nodeFields(n: KubeObject): Record<string, string> {
  return { "spec.unschedulable": String(o(n.spec).unschedulable === true) };
}

export function namespaceFields(ns: KubeObject): Record<string, string> {
  return { "status.phase": str(o(ns.status).phase) };
}

export function replicasFields(x: KubeObject): Record<string, string> {
  return { "status.replicas": String(num(o(x.status).replicas) ?? 0) };
}

export function jobFields(j: KubeObject): Record<string, string> {
  return { "status.successful": String(num(o(j.status).succeeded) ?? 0) };
}

export function serviceFields(s: KubeObject): Record<string, string> {
  const spec = o(s.spec);
  return { "spec.clusterIP": str(spec.clusterIP), "spec.type": str(spec.type) };
}
