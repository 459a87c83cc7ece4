/** Which victims would break a PodDisruptionBudget (upstream's filterPodsWithPDBViolation). */
import type { Pod } from "kubernetes-types/core/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { labelSelectorAsSelector, type Selector } from "../../machinery/labels/index.js";
import { podNamespace } from "../framework/pod-info.js";

function selectorOf(pdb: PodDisruptionBudget): Selector | undefined {
  try {
    return labelSelectorAsSelector(pdb.spec?.selector);
  } catch {
    return undefined;
  }
}

/**
 * Split pods (most important first) into those whose eviction would take a
 * matching budget below zero and the rest. Each matching budget is charged
 * once per pod, except for pods it already lists as disrupted.
 */
export function splitByPDBViolation(
  pods: readonly Pod[],
  pdbs: readonly PodDisruptionBudget[],
): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map(selectorOf);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {};
    let violated = false;
    if (Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        const selector = selectors[i];
        if (pdb.metadata?.namespace !== podNamespace(pod) || !selector) return;
        if (selector.empty() || !selector.matches(labels)) return;
        if (pdb.status?.disruptedPods?.[pod.metadata?.name ?? ""] !== undefined) return;
        const left = (allowed[i] ?? 0) - 1;
        allowed[i] = left;
        if (left < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}
