import { KUBERNETES_VERSION } from "../../version.js";

/** The User-Agent the kubelet sends: `kube-probe/1.32`, `kube-lifecycle/1.32`. */
export function userAgent(purpose: "probe" | "lifecycle"): string {
  return `kube-${purpose}/${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}`;
}
