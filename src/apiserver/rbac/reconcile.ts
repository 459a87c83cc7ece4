/**
 * The `rbac/bootstrap-roles` post-start hook (upstream's
 * pkg/registry/rbac/rest PostStartHook and pkg/registry/rbac/reconciliation):
 * every default Role, ClusterRole and binding of bootstrap-policy.ts that is
 * missing is created; one that exists is reconciled by union — missing
 * rules, aggregation selectors, subjects, labels and annotations are added,
 * nothing is removed — unless it carries
 * `rbac.authorization.kubernetes.io/autoupdate: "false"`, which leaves it
 * alone. A binding whose roleRef differs is deleted and created again (a
 * roleRef cannot change). Idempotent: a second run writes nothing.
 */
import { randomUUID } from "node:crypto";
import type { LabelSelector, ObjectMeta } from "kubernetes-types/meta/v1.js";
import type {
  AggregationRule,
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
  RoleRef,
  Subject,
} from "kubernetes-types/rbac/v1.js";
import type { KubeObject } from "../../api/strategy.js";
import { ConflictError, KeyExistsError, KeyNotFoundError } from "../../storage/errors.js";
import type { Store } from "../../storage/types.js";
import { canonicalJson, decodeObject, encodeObject } from "../registry/codec.js";
import { timestamp } from "../registry/context.js";
import { prefixFor } from "../registry/keys.js";
import {
  AUTOUPDATE_ANNOTATION,
  defaultClusterRoleBindings,
  defaultClusterRoles,
  defaultNamespaceRoleBindings,
  defaultNamespaceRoles,
  RBAC_GROUP,
} from "./bootstrap-policy.js";

/** The hook's name, as upstream's /readyz lists it (`poststarthook/rbac/bootstrap-roles`). */
export const RBAC_BOOTSTRAP_HOOK = "rbac/bootstrap-roles";

type RuleOwner = ClusterRole | Role;
type Binding = ClusterRoleBinding | RoleBinding;
/** What every RBAC object has. */
type Obj = { metadata?: ObjectMeta };

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

// --- rule coverage (upstream's validation.Covers) ---------------------------

/** One rule split into single verb × group × resource (× name) or URL × verb rules. */
export function breakdownRule(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of r.apiGroups ?? [])
    for (const res of r.resources ?? [])
      for (const verb of r.verbs) {
        const names = r.resourceNames ?? [];
        if (names.length === 0) out.push({ verbs: [verb], apiGroups: [g], resources: [res] });
        for (const n of names)
          out.push({ verbs: [verb], apiGroups: [g], resources: [res], resourceNames: [n] });
      }
  for (const url of r.nonResourceURLs ?? [])
    for (const verb of r.verbs) out.push({ verbs: [verb], nonResourceURLs: [url] });
  return out;
}

const hasOrStar = (xs: readonly string[] | undefined, x: string) =>
  (xs ?? []).some((v) => v === "*" || v === x);

function resourcesCover(owner: readonly string[] | undefined, wanted: readonly string[]): boolean {
  const have = owner ?? [];
  if (have.includes("*")) return true;
  return wanted.every((w) => {
    if (have.includes(w)) return true;
    // "*/scale" covers the scale subresource of every resource.
    const slash = w.indexOf("/");
    return slash >= 0 && have.includes(`*${w.slice(slash)}`);
  });
}

function urlsCover(owner: readonly string[] | undefined, wanted: readonly string[]): boolean {
  const have = owner ?? [];
  return wanted.every((w) =>
    have.some((h) => h === "*" || h === w || (h.endsWith("*") && w.startsWith(h.slice(0, -1)))),
  );
}

/** Whether `owner` allows everything `servant` (a broken-down rule) does. */
function ruleCovers(owner: PolicyRule, servant: PolicyRule): boolean {
  if (!servant.verbs.every((v) => hasOrStar(owner.verbs, v))) return false;
  if (!(servant.apiGroups ?? []).every((g) => hasOrStar(owner.apiGroups, g))) return false;
  if (!resourcesCover(owner.resources, servant.resources ?? [])) return false;
  if (!urlsCover(owner.nonResourceURLs, servant.nonResourceURLs ?? [])) return false;
  const ownerNames = owner.resourceNames ?? [];
  if (ownerNames.length > 0) {
    const names = servant.resourceNames ?? [];
    if (names.length === 0 || !names.every((n) => ownerNames.includes(n))) return false;
  }
  return true;
}

/** The parts of `servant` rules that no `owner` rule allows, broken down. */
export function uncoveredRules(
  owner: readonly PolicyRule[],
  servant: readonly PolicyRule[],
): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const r of servant)
    for (const atom of breakdownRule(r))
      if (!owner.some((o) => ruleCovers(o, atom))) missing.push(atom);
  return missing;
}

// --- reconciliation ---------------------------------------------------------

export interface Reconciled<T> {
  /** The object to write (unchanged from `existing` when `changed` is false). */
  readonly object: T;
  readonly changed: boolean;
  /** `autoupdate: "false"`: never written. */
  readonly protected: boolean;
  /** A binding whose roleRef must change: delete and create. */
  readonly recreate: boolean;
}

function isProtected(obj: Obj): boolean {
  return obj.metadata?.annotations?.[AUTOUPDATE_ANNOTATION] === "false";
}

/** Labels and annotations of `expected` added where `existing` lacks the key (existing values win). */
function mergeMeta<T extends Obj>(existing: T, expected: T): T {
  const copy = structuredClone(existing);
  const meta = copy.metadata ?? {};
  for (const field of ["labels", "annotations"] as const) {
    const merged = { ...(expected.metadata?.[field] ?? {}), ...(meta[field] ?? {}) };
    if (Object.keys(merged).length > 0) meta[field] = merged;
  }
  copy.metadata = meta;
  return copy;
}

/** A Role or ClusterRole brought up to `expected` by union (upstream's computeReconciledRole, never removing). */
export function reconcileRole<T extends RuleOwner>(existing: T, expected: T): Reconciled<T> {
  const result = mergeMeta(existing, expected);
  const rules = [...(result.rules ?? [])];
  const missing = uncoveredRules(rules, expected.rules ?? []);
  if (missing.length > 0) result.rules = [...rules, ...missing];
  if ("aggregationRule" in expected || "aggregationRule" in existing) {
    const want = (expected as ClusterRole).aggregationRule;
    const have = (existing as ClusterRole).aggregationRule;
    const target = result as ClusterRole;
    if (want === undefined && have !== undefined) {
      // Not an aggregated role by default: upstream drops the aggregation.
      delete target.aggregationRule;
    } else if (want !== undefined) {
      const selectors: LabelSelector[] = [...(have?.clusterRoleSelectors ?? [])];
      for (const s of want.clusterRoleSelectors ?? [])
        if (!selectors.some((h) => same(h, s))) selectors.push(s);
      const agg: AggregationRule = { clusterRoleSelectors: selectors };
      if (!same(have, agg)) target.aggregationRule = agg;
    }
  }
  return {
    object: result,
    changed: !same(result, existing),
    protected: isProtected(existing),
    recreate: false,
  };
}

/** A binding brought up to `expected`: missing subjects added, roleRef replaced by recreation. */
export function reconcileBinding<T extends Binding>(existing: T, expected: T): Reconciled<T> {
  const result = mergeMeta(existing, expected);
  let recreate = false;
  if (!same(existing.roleRef, expected.roleRef)) {
    result.roleRef = structuredClone(expected.roleRef) as RoleRef;
    recreate = true;
  }
  const subjects: Subject[] = [...(result.subjects ?? [])];
  for (const s of expected.subjects ?? []) if (!subjects.some((h) => same(h, s))) subjects.push(s);
  if (subjects.length > 0) result.subjects = subjects;
  return {
    object: result,
    changed: recreate || !same(result, existing),
    protected: isProtected(existing),
    recreate,
  };
}

// --- writing ----------------------------------------------------------------

export type ReconcileAction = "created" | "updated" | "recreated" | "unchanged" | "protected";

export interface ReconcileReport {
  /** `clusterroles/admin`, `roles/kube-system/NAME`... → what was done. */
  readonly actions: ReadonlyMap<string, ReconcileAction>;
}

const ATTEMPTS = 10;

function storeKey(plural: string, namespace: string | undefined, name: string): string {
  return `${prefixFor({ group: RBAC_GROUP, plural }, namespace)}${name}`;
}

function fresh<T extends Obj>(obj: T, now: Date): KubeObject {
  const copy = structuredClone(obj);
  copy.metadata = {
    ...(copy.metadata ?? {}),
    uid: randomUUID(),
    creationTimestamp: timestamp(now),
  };
  return copy as unknown as KubeObject;
}

async function ensure<T extends Obj>(
  store: Store,
  key: string,
  expected: T,
  reconcile: (existing: T, expected: T) => Reconciled<T>,
  now: Date,
): Promise<ReconcileAction> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const kv = await store.get(key);
    if (!kv) {
      try {
        await store.create(key, encodeObject(fresh(expected, now)));
        return "created";
      } catch (err) {
        if (err instanceof KeyExistsError) continue;
        throw err;
      }
    }
    const existing = decodeObject(kv) as unknown as T;
    const r = reconcile(existing, expected);
    if (r.protected) return "protected";
    if (!r.changed) return "unchanged";
    try {
      if (r.recreate) {
        await store.delete(key, { expectedModRevision: kv.modRevision });
        await store.create(key, encodeObject(fresh(r.object, now)));
        return "recreated";
      }
      await store.update(key, encodeObject(r.object as unknown as KubeObject), kv.modRevision);
      return "updated";
    } catch (err) {
      // Someone else (another API server, a client) wrote meanwhile: look again.
      if (
        err instanceof ConflictError ||
        err instanceof KeyNotFoundError ||
        err instanceof KeyExistsError
      )
        continue;
      throw err;
    }
  }
  throw new Error(`${key}: still conflicting after ${ATTEMPTS} attempts`);
}

/**
 * Writes the default RBAC policy into `store` (after the system namespaces
 * exist). Safe to run on every start and from several API servers at once.
 */
export async function reconcileBootstrapPolicy(
  store: Store,
  opts: { now: Date },
): Promise<ReconcileReport> {
  const name = (o: Obj) => o.metadata?.name ?? "";
  const ns = (o: Obj) => o.metadata?.namespace ?? "";
  // Keys are independent: each step writes its objects concurrently. Roles
  // come first, so no binding ever points at a role that is not there yet.
  const steps: (() => [string, Promise<ReconcileAction>][])[] = [
    () => [
      ...defaultClusterRoles().map((r): [string, Promise<ReconcileAction>] => [
        `clusterroles/${name(r)}`,
        ensure(store, storeKey("clusterroles", undefined, name(r)), r, reconcileRole, opts.now),
      ]),
      ...defaultNamespaceRoles().map((r): [string, Promise<ReconcileAction>] => [
        `roles/${ns(r)}/${name(r)}`,
        ensure(store, storeKey("roles", ns(r), name(r)), r, reconcileRole, opts.now),
      ]),
    ],
    () => [
      ...defaultClusterRoleBindings().map((b): [string, Promise<ReconcileAction>] => [
        `clusterrolebindings/${name(b)}`,
        ensure(
          store,
          storeKey("clusterrolebindings", undefined, name(b)),
          b,
          reconcileBinding,
          opts.now,
        ),
      ]),
      ...defaultNamespaceRoleBindings().map((b): [string, Promise<ReconcileAction>] => [
        `rolebindings/${ns(b)}/${name(b)}`,
        ensure(store, storeKey("rolebindings", ns(b), name(b)), b, reconcileBinding, opts.now),
      ]),
    ],
  ];
  const actions = new Map<string, ReconcileAction>();
  for (const step of steps) {
    const pending = step();
    const results = await Promise.allSettled(pending.map(([, p]) => p));
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") throw r.reason;
      actions.set(pending[i]?.[0] ?? "", r.value);
    }
  }
  return { actions };
}
