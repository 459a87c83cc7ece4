/**
 * A pod with its inter-pod affinity terms compiled once (upstream's
 * framework.PodInfo and AffinityTerm).
 */
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from "kubernetes-types/core/v1.js";
import {
  type Labels,
  labelSelectorAsSelector,
  newRequirement,
  nothing,
  type Selector,
} from "../../machinery/labels/index.js";

export interface AffinityTerm {
  /** Namespaces named by the term (the pod's own when neither list nor selector is given). */
  readonly namespaces: ReadonlySet<string>;
  /** Matches namespace labels; Nothing when the term has no namespaceSelector. */
  readonly namespaceSelector: Selector;
  readonly selector: Selector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface PodInfo {
  readonly pod: Pod;
  /** The UID, or namespace/name when the pod has none. */
  readonly key: string;
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  /** Why some terms could not be compiled (those terms are left out). */
  readonly parseErrors: readonly Error[];
}

export function podNamespace(pod: Pod): string {
  return pod.metadata?.namespace ?? "default";
}

export function podKey(pod: Pod): string {
  return pod.metadata?.uid ?? `${podNamespace(pod)}/${pod.metadata?.name ?? ""}`;
}

/** `spec.priority`, 0 when unset (upstream's PodPriority). */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/**
 * The term's selector with matchLabelKeys (`key in (value)`) and
 * mismatchLabelKeys (`key notin (value)`) taken from the pod's own labels.
 */
function termSelector(pod: Pod, term: PodAffinityTerm): Selector {
  let selector = labelSelectorAsSelector(term.labelSelector);
  if (term.labelSelector === undefined) return selector;
  const labels = pod.metadata?.labels ?? {};
  for (const key of term.matchLabelKeys ?? []) {
    const value = labels[key];
    if (value !== undefined) {
      selector = selector.add(newRequirement({ key, operator: "in", values: [value] }));
    }
  }
  for (const key of term.mismatchLabelKeys ?? []) {
    const value = labels[key];
    if (value !== undefined) {
      selector = selector.add(newRequirement({ key, operator: "notin", values: [value] }));
    }
  }
  return selector;
}

function compileTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const namespaces =
    (term.namespaces?.length ?? 0) === 0 && term.namespaceSelector === undefined
      ? new Set([podNamespace(pod)])
      : new Set(term.namespaces ?? []);
  return {
    namespaces,
    namespaceSelector:
      term.namespaceSelector === undefined
        ? nothing()
        : labelSelectorAsSelector(term.namespaceSelector),
    selector: termSelector(pod, term),
    topologyKey: term.topologyKey,
  };
}

function compileAll<T, R>(
  items: readonly T[] | undefined,
  how: { readonly errors: Error[]; readonly compile: (t: T) => R },
): R[] {
  const out: R[] = [];
  const { errors } = how;
  for (const item of items ?? []) {
    try {
      out.push(how.compile(item));
    } catch (err) {
      errors.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return out;
}

/** Shared by every pod without inter-pod affinity (most pods): nothing to compile. */
const NO_TERMS: readonly never[] = Object.freeze([]);

export function newPodInfo(pod: Pod): PodInfo {
  const affinity = pod.spec?.affinity?.podAffinity;
  const anti = pod.spec?.affinity?.podAntiAffinity;
  if (!affinity && !anti) {
    return {
      pod,
      key: podKey(pod),
      requiredAffinityTerms: NO_TERMS,
      requiredAntiAffinityTerms: NO_TERMS,
      preferredAffinityTerms: NO_TERMS,
      preferredAntiAffinityTerms: NO_TERMS,
      parseErrors: NO_TERMS,
    };
  }
  const errors: Error[] = [];
  const weighted = (w: WeightedPodAffinityTerm): WeightedAffinityTerm => ({
    ...compileTerm(pod, w.podAffinityTerm),
    weight: w.weight,
  });
  return {
    pod,
    key: podKey(pod),
    requiredAffinityTerms: compileAll(affinity?.requiredDuringSchedulingIgnoredDuringExecution, {
      errors,
      compile: (t) => compileTerm(pod, t),
    }),
    requiredAntiAffinityTerms: compileAll(anti?.requiredDuringSchedulingIgnoredDuringExecution, {
      errors,
      compile: (t) => compileTerm(pod, t),
    }),
    preferredAffinityTerms: compileAll(affinity?.preferredDuringSchedulingIgnoredDuringExecution, {
      errors,
      compile: weighted,
    }),
    preferredAntiAffinityTerms: compileAll(anti?.preferredDuringSchedulingIgnoredDuringExecution, {
      errors,
      compile: weighted,
    }),
    parseErrors: errors,
  };
}

/** Whether the pod has any (anti-)affinity terms at all. */
export function hasAffinity(pi: PodInfo): boolean {
  return (
    pi.requiredAffinityTerms.length +
      pi.requiredAntiAffinityTerms.length +
      pi.preferredAffinityTerms.length +
      pi.preferredAntiAffinityTerms.length >
    0
  );
}

/**
 * Whether a term selects this pod: its namespace is named by the term or its
 * namespace's labels match the namespaceSelector, and its labels match.
 */
export function affinityTermMatches(
  term: AffinityTerm,
  target: { pod: Pod; namespaceLabels: Labels | undefined },
): boolean {
  const ns = podNamespace(target.pod);
  const inNamespace =
    term.namespaces.has(ns) ||
    (!term.namespaceSelector.matchesNothing &&
      term.namespaceSelector.matches(target.namespaceLabels ?? {}));
  return inNamespace && term.selector.matches(target.pod.metadata?.labels ?? {});
}
