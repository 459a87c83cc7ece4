import type { Pod } from "kubernetes-types/core/v1.js";
import { podCondition } from "../common/pod-state.js";
import { rfc3339 } from "../job/time.js";

/**
 * The status patch (strategic merge: conditions merge by type) that marks
 * a pod on a lost node not Ready (upstream's MarkPodsNotReady), so
 * Services stop sending it traffic even though no kubelet is left to say
 * so. Undefined when the pod has no Ready condition or it is already False.
 */
export function notReadyPatch(pod: Pod, now: number): object | undefined {
  const ready = podCondition(pod, "Ready");
  if (!ready || ready.status === "False") return undefined;
  return {
    status: {
      conditions: [{ type: "Ready", status: "False", lastTransitionTime: rfc3339(now) }],
    },
  };
}
