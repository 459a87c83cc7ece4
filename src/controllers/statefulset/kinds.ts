import type { StatefulSet } from "kubernetes-types/apps/v1.js";
import { labelSelectorAsSelector, nothing, type Selector } from "../../machinery/labels/index.js";

export const STATEFUL_SET_GVK = { apiVersion: "apps/v1", kind: "StatefulSet" } as const;
export const POD_GVK = { apiVersion: "v1", kind: "Pod" } as const;
export const STATEFUL_SET_COMPONENT = "statefulset-controller";

/** The label carrying a stateful pod's own name (so a Service can select one pod). */
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
/** The label carrying a stateful pod's ordinal. */
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

/** The StatefulSet's selector; an empty or invalid one selects nothing. */
export function statefulSetSelector(set: StatefulSet): Selector {
  const sel = set.spec?.selector;
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && !sel.matchExpressions?.length))
    return nothing();
  try {
    return labelSelectorAsSelector(sel);
  } catch {
    return nothing();
  }
}

/** OrderedReady (the default) goes one pod at a time; Parallel does not wait. */
export function isParallel(set: StatefulSet): boolean {
  return set.spec?.podManagementPolicy === "Parallel";
}
