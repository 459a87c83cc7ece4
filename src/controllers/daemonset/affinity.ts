import type { Affinity, Pod } from "kubernetes-types/core/v1.js";

/** The field node selectors match a node's name on. */
const NODE_NAME_FIELD = "metadata.name";

/**
 * `affinity` with its required node terms replaced by one term matching
 * exactly `nodeName` (upstream's ReplaceDaemonSetPodNodeNameNodeAffinity).
 * The daemon pod is left for the scheduler to bind, which then honours
 * resources and ports like for any pod. Replacing the other required
 * terms is safe: the controller already checked the node satisfies them.
 * Preferred terms and pod (anti-)affinity are kept.
 */
export function nodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const next = structuredClone(affinity ?? {});
  next.nodeAffinity = {
    ...(next.nodeAffinity ?? {}),
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchFields: [{ key: NODE_NAME_FIELD, operator: "In", values: [nodeName] }] },
      ],
    },
  };
  return next;
}

/**
 * The node a daemon pod is for (upstream's GetTargetNodeName): the node it
 * is bound to, or, before the scheduler bound it, the one its
 * `metadata.name In [node]` match field names. Undefined when neither.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const req of term.matchFields ?? []) {
      if (req.key !== NODE_NAME_FIELD || req.operator !== "In") continue;
      return req.values?.length === 1 ? req.values[0] : undefined;
    }
  }
  return undefined;
}
