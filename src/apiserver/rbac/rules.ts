/**
 * Whether one RBAC PolicyRule allows a request, as upstream's RuleAllows
 * (plugin/pkg/auth/authorizer/rbac) with the matchers of
 * pkg/apis/rbac/v1/evaluation_helpers.go. Pure functions.
 */
import type { PolicyRule } from "kubernetes-types/rbac/v1.js";
import type { Attributes } from "./types.js";

/** "*" in verbs, apiGroups, resources and nonResourceURLs matches everything. */
export const ALL = "*";

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/**
 * `combined` is "resource" or "resource/subresource". A rule resource
 * matches when it is "*", equal to the combined name, or "*\/<subresource>"
 * for a request on that subresource. ("pods/*" is no wildcard upstream: it
 * matches only a subresource literally called "*".)
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (subresource !== "" && r === `*/${subresource}`) return true;
  }
  return false;
}

/**
 * No resourceNames: any object. Otherwise only requests naming one of them,
 * so a list, watch, create or deletecollection without a name never matches.
 */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return names.includes(name);
}

/** "*" matches every path, "/apis/*" every path starting with "/apis/", anything else itself. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === ALL || u === path) return true;
    if (u.endsWith("*") && path.startsWith(u.replace(/\*+$/, ""))) return true;
  }
  return false;
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.isResource) return nonResourceURLMatches(rule, attrs.path);
  const combined =
    attrs.subresource === "" ? attrs.resource : `${attrs.resource}/${attrs.subresource}`;
  return (
    apiGroupMatches(rule, attrs.group) &&
    resourceMatches(rule, combined, attrs.subresource) &&
    resourceNameMatches(rule, attrs.name)
  );
}

export function rulesAllow(attrs: Attributes, rules: readonly PolicyRule[]): boolean {
  return rules.some((r) => ruleAllows(attrs, r));
}
