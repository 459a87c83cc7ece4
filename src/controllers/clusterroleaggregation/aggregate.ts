/**
 * What an aggregated ClusterRole's rules should be (upstream's
 * clusterroleaggregation controller): for each of its clusterRoleSelectors
 * in turn, the ClusterRoles it selects in name order (itself excluded),
 * each of their rules once, first appearance first.
 */
import type { ClusterRole, PolicyRule } from "kubernetes-types/rbac/v1.js";
import { labelSelectorAsSelector } from "../../machinery/labels/label-selector.js";

/** JSON with sorted keys: equal for equal rules whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
}

/** The rules `role` aggregates from `all`, or undefined when it has no aggregationRule. */
export function aggregatedRules(
  role: ClusterRole,
  all: readonly ClusterRole[],
): PolicyRule[] | undefined {
  const rule = role.aggregationRule;
  if (!rule) return undefined;
  const name = role.metadata?.name ?? "";
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const ls of rule.clusterRoleSelectors ?? []) {
    const selector = labelSelectorAsSelector(ls);
    const matched = all
      .filter((r) => r.metadata?.name !== name && selector.matches(r.metadata?.labels ?? {}))
      .sort((a, b) => {
        const x = a.metadata?.name ?? "";
        const y = b.metadata?.name ?? "";
        return x < y ? -1 : x > y ? 1 : 0;
      });
    for (const r of matched)
      for (const pr of r.rules ?? []) {
        const key = canonical(pr);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(pr);
      }
  }
  return rules;
}

/** Whether two rule lists are the same (an absent list equals an empty one). */
export function sameRules(
  a: readonly PolicyRule[] | undefined,
  b: readonly PolicyRule[] | undefined,
) {
  return canonical(a ?? []) === canonical(b ?? []);
}
