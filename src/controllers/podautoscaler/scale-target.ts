/**
 * Which resource's /scale an HPA's scaleTargetRef names. Upstream asks the
 * RESTMapper; the built-in scalable kinds are known here, and any other
 * kind (a custom resource with a scale subresource) is tried under its
 * lower-cased plural, which is what CRDs almost always use. Pure.
 */
import type { CrossVersionObjectReference } from "kubernetes-types/autoscaling/v2.js";
import type { ResourceRef } from "../../client/rest/resource.js";

const KNOWN: Record<string, string> = {
  "apps/Deployment": "deployments",
  "apps/ReplicaSet": "replicasets",
  "apps/StatefulSet": "statefulsets",
  "/ReplicationController": "replicationcontrollers",
};

/** An HPA whose target cannot be resolved: AbleToScale=False, FailedGetScale. */
export class ScaleTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export function scaleTargetResource(ref: CrossVersionObjectReference): ResourceRef {
  const apiVersion = ref.apiVersion ?? "";
  const parts = apiVersion.split("/");
  if (apiVersion === "" || parts.length > 2 || parts.some((p) => p === ""))
    throw new ScaleTargetError(`unexpected GroupVersion string: ${apiVersion}`);
  const [group, version] =
    parts.length === 2 ? (parts as [string, string]) : ["", parts[0] as string];
  if (!ref.kind) throw new ScaleTargetError(`no kind in scale target reference ${ref.name}`);
  const resource = KNOWN[`${group}/${ref.kind}`] ?? `${ref.kind.toLowerCase()}s`;
  return { group, version, resource, namespaced: true };
}
