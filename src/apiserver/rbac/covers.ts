/**
 * Whether one set of RBAC rules grants everything another does, as
 * upstream's component-helpers/auth/rbac/validation Covers (the heart of
 * privilege-escalation prevention), and how missing rules are shown in the
 * escalation error: pkg/registry/rbac/validation CompactRules and
 * pkg/apis/rbac/v1 CompactString.
 */
import type { PolicyRule } from "kubernetes-types/rbac/v1.js";

export interface CoverResult {
  readonly covered: boolean;
  /** The atomic servant rules no owner rule allows (one verb × group × resource × name, or URL × verb). */
  readonly uncovered: PolicyRule[];
}

/**
 * Splits a rule into rules of at most one group, resource, verb and
 * resource name (upstream's BreakdownRule); non-resource URLs combine only
 * with verbs.
 */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  const names = rule.resourceNames ?? [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (names.length > 0) {
          for (const name of names)
            out.push({
              apiGroups: [group],
              resources: [resource],
              verbs: [verb],
              resourceNames: [name],
            });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

/** Whether the owner rules allow everything the servant rules do; the uncovered atomic rules otherwise. */
export function covers(
  ownerRules: readonly PolicyRule[],
  servantRules: readonly PolicyRule[],
): CoverResult {
  const uncovered: PolicyRule[] = [];
  for (const servant of servantRules)
    for (const sub of breakdownRule(servant))
      if (!ownerRules.some((owner) => ruleCovers(owner, sub))) uncovered.push(sub);
  return { covered: uncovered.length === 0, uncovered };
}

const hasAll = (set: readonly string[], wanted: readonly string[]) =>
  wanted.every((w) => set.includes(w));

/** "*", every resource listed, or `*∕sub` for each `resource/sub` not listed. */
function resourceCoversAll(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes("*") || hasAll(owner, wanted)) return true;
  for (const path of wanted) {
    if (owner.includes(path)) continue;
    const slash = path.indexOf("/");
    if (slash < 0) return false;
    if (!owner.includes(`*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

/** An owner URL covers itself, and with a trailing "*" every path it prefixes. */
export function nonResourceURLCovers(ownerPath: string, subPath: string): boolean {
  if (ownerPath === subPath) return true;
  return ownerPath.endsWith("*") && subPath.startsWith(ownerPath.replace(/\*+$/, ""));
}

const nonResourceURLsCoverAll = (owner: readonly string[], wanted: readonly string[]) =>
  wanted.every((path) => owner.some((o) => nonResourceURLCovers(o, path)));

/**
 * Whether one owner rule allows an atomic servant rule (upstream's
 * ruleCovers). An owner rule limited to resource names never covers a
 * servant rule that is not.
 */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const ownerVerbs = owner.verbs ?? [];
  const ownerGroups = owner.apiGroups ?? [];
  const ownerNames = owner.resourceNames ?? [];
  const subNames = sub.resourceNames ?? [];
  const verbs = ownerVerbs.includes("*") || hasAll(ownerVerbs, sub.verbs ?? []);
  const groups = ownerGroups.includes("*") || hasAll(ownerGroups, sub.apiGroups ?? []);
  const resources = resourceCoversAll(owner.resources ?? [], sub.resources ?? []);
  const urls = nonResourceURLsCoverAll(owner.nonResourceURLs ?? [], sub.nonResourceURLs ?? []);
  const names =
    subNames.length === 0
      ? ownerNames.length === 0
      : ownerNames.length === 0 || hasAll(ownerNames, subNames);
  return verbs && groups && resources && names && urls;
}

/**
 * Merges rules of one group and one resource with nothing else but verbs
 * (upstream's CompactRules, for the uncovered list of an escalation error).
 */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const group = rule.apiGroups?.[0];
    const resource = rule.resources?.[0];
    const isSimple =
      (rule.resourceNames === undefined || rule.resourceNames.length === 0) &&
      (rule.nonResourceURLs === undefined || rule.nonResourceURLs.length === 0) &&
      rule.apiGroups?.length === 1 &&
      rule.resources?.length === 1 &&
      group !== undefined &&
      resource !== undefined;
    if (!isSimple) {
      compacted.push(rule);
      continue;
    }
    const key = JSON.stringify([group, resource]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...(rule.verbs ?? [])];
    else
      simple.set(key, {
        apiGroups: [group],
        resources: [resource],
        verbs: [...(rule.verbs ?? [])],
      });
  }
  return [...compacted, ...simple.values()];
}

const GO_ESCAPES: Record<string, string> = {
  "\u0007": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

/** Go's %q of a string (strconv.Quote), for the printable text names and paths hold. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = GO_ESCAPES[ch];
    const code = ch.codePointAt(0) ?? 0;
    if (esc) out += esc;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's %q of a []string: `["a" "b"]`. */
export const goQuoteList = (items: readonly string[]) => `[${items.map(goQuote).join(" ")}]`;

/** A rule as upstream's CompactString prints it: `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  const add = (label: string, v: readonly string[] | undefined) => {
    if (v && v.length > 0) parts.push(`${label}:${goQuoteList(v)}`);
  };
  add("APIGroups", rule.apiGroups);
  add("Resources", rule.resources);
  add("NonResourceURLs", rule.nonResourceURLs);
  add("ResourceNames", rule.resourceNames);
  add("Verbs", rule.verbs);
  return `{${parts.join(", ")}}`;
}
