/**
 * `valueFrom.fieldRef`: the downward API's pod fields, as upstream's
 * ConvertDownwardAPIFieldLabel, podFieldSelectorRuntimeValue and
 * fieldpath.ExtractFieldPathAsString resolve them (with their messages).
 */
import type { ObjectFieldSelector, Pod } from "kubernetes-types/core/v1.js";
import { extractFieldPathAsString, splitSubscript } from "../fieldpath/index.js";
import type { EnvContext } from "./context.js";
import { EnvError, withEnvErrors } from "./errors.js";
import { nodeIPs, podAddresses } from "./pod-ips.js";

/** Paths the v1 conversion accepts (some of which have no runtime value). */
const SUPPORTED = new Set([
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.restartPolicy",
  "spec.serviceAccountName",
  "spec.schedulerName",
  "status.phase",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
]);

/** The v1 field label as the internal one (`spec.host` is the old `spec.nodeName`). */
function convertLabel(apiVersion: string, label: string): string {
  if (apiVersion !== "v1") throw new EnvError(`unsupported pod version: ${apiVersion}`);
  const sub = splitSubscript(label);
  if (sub !== undefined) {
    if (sub.path === "metadata.annotations" || sub.path === "metadata.labels") return label;
    throw new EnvError(`field label does not support subscript: ${label}`);
  }
  if (SUPPORTED.has(label)) return label;
  if (label === "spec.host") return "spec.nodeName";
  throw new EnvError(`field label not supported: ${label}`);
}

function hostIPsOrFail(ctx: EnvContext): string[] {
  const ips = nodeIPs(ctx);
  if (ips.length === 0) throw new EnvError("host IP unknown; known addresses: []");
  return ips;
}

/** The value of a fieldRef for `pod` on this node. */
export function fieldRefValue(pod: Pod, fs: ObjectFieldSelector, ctx: EnvContext): string {
  const path = convertLabel(fs.apiVersion ?? "v1", fs.fieldPath);
  switch (path) {
    case "spec.nodeName":
      return pod.spec?.nodeName || ctx.nodeName;
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.hostIP":
      return hostIPsOrFail(ctx)[0] as string;
    case "status.hostIPs":
      return hostIPsOrFail(ctx).join(",");
    case "status.podIP":
      return podAddresses(ctx).podIP;
    case "status.podIPs":
      return podAddresses(ctx).podIPs.join(",");
  }
  return withEnvErrors(() => extractFieldPathAsString(pod, path));
}
