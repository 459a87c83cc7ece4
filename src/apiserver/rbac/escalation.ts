/**
 * RBAC privilege-escalation prevention, as upstream's policy-based storage
 * for roles and bindings (pkg/registry/rbac/{role,clusterrole,rolebinding,
 * clusterrolebinding}/policybased, escalation_check.go and
 * validation/rule.go ConfirmNoEscalation): a user may write a Role or
 * ClusterRole only with permissions they hold (or with `escalate` on it),
 * and bind a role only if they hold its permissions (or have `bind` on it).
 * Members of system:masters skip every check.
 */
import type {
  AggregationRule,
  ClusterRole,
  PolicyRule,
  Role,
  RoleRef,
} from "kubernetes-types/rbac/v1.js";
import type { KubeObject } from "../../api/strategy.js";
import type { Authorizer } from "../authz.js";
import type { RequestVerb, ResourceRequest } from "../http/request-info.js";
import type { UserInfo } from "../registry/context.js";
import { ApiError, internalError, notFound } from "../status.js";
import { compactRules, compactString, covers, goQuote, goQuoteList } from "./covers.js";
import type { RuleResolver } from "./types.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";
const SYSTEM_MASTERS = "system:masters";

/** Where the roles a binding refers to are read (the store; maps in tests). */
export interface RoleGetter {
  role(namespace: string, name: string): Promise<Role | undefined>;
  clusterRole(name: string): Promise<ClusterRole | undefined>;
}

export interface EscalationDeps {
  readonly authorizer: Authorizer;
  readonly ruleResolver: RuleResolver;
  readonly roles: RoleGetter;
}

/** Upstream's EscalationAllowed: system:masters may do anything. */
export const escalationAllowed = (user: UserInfo) => user.groups.includes(SYSTEM_MASTERS);

async function allowed(
  authorizer: Authorizer,
  user: UserInfo,
  attrs: { verb: string; group: string; resource: string; namespace: string; name: string },
): Promise<boolean> {
  const request: ResourceRequest = {
    isResource: true,
    // "escalate" and "bind" are RBAC verbs no HTTP request carries.
    verb: attrs.verb as RequestVerb,
    group: attrs.group,
    version: "*",
    namespace: attrs.namespace,
    resource: attrs.resource,
    name: attrs.name,
    subresource: "",
    path: "",
  };
  try {
    return (await authorizer.authorize(user, request)).allowed;
  } catch {
    return false;
  }
}

/**
 * Upstream's RoleEscalationAuthorized: `escalate` on the roles or
 * clusterroles being written (the request's namespace and name; a create
 * names none).
 */
export const roleEscalationAuthorized = (
  authorizer: Authorizer,
  user: UserInfo,
  target: { resource: "roles" | "clusterroles"; namespace: string; name: string },
) => allowed(authorizer, user, { verb: "escalate", group: RBAC_GROUP, ...target });

/**
 * Upstream's BindingAuthorized: `bind` on the referenced role, asked in the
 * binding's namespace ("" for a ClusterRoleBinding), so `bind` can be
 * delegated per namespace.
 */
export async function bindingAuthorized(
  authorizer: Authorizer,
  user: UserInfo,
  roleRef: RoleRef,
  bindingNamespace: string,
): Promise<boolean> {
  const resource =
    roleRef.kind === "ClusterRole" ? "clusterroles" : roleRef.kind === "Role" ? "roles" : undefined;
  if (!resource) return false;
  return allowed(authorizer, user, {
    verb: "bind",
    group: roleRef.apiGroup,
    resource,
    namespace: bindingNamespace,
    name: roleRef.name,
  });
}

/** Go's error aggregate printed inside a one-element []error, as ConfirmNoEscalation adds it. */
function resolutionErrors(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  const aggregate = unique.length === 1 ? (unique[0] ?? "") : `[${unique.join(", ")}]`;
  return `[${aggregate}]`;
}

/**
 * Upstream's ConfirmNoEscalation: the reason the user may not grant
 * `rules` in `namespace` ("" for cluster-wide objects), or undefined when
 * the rules they hold there cover them.
 */
export function confirmNoEscalation(
  resolver: RuleResolver,
  user: UserInfo,
  namespace: string,
  rules: readonly PolicyRule[],
): string | undefined {
  const owner = resolver.rulesFor(user, namespace);
  const result = covers(owner.rules, rules);
  if (result.covered) return undefined;
  const missing = [...new Set(compactRules(result.uncovered).map(compactString))].sort();
  let msg = `user ${goQuote(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.join("\n")}`;
  if (owner.errors.length > 0) msg += `; resolution errors: ${resolutionErrors(owner.errors)}`;
  return msg;
}

/** Upstream's errors.NewForbidden for an RBAC resource. */
export function rbacForbidden(resource: string, name: string, reason: string): ApiError {
  const qualified = `${resource}.${RBAC_GROUP}`;
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message:
      name === ""
        ? `${qualified} is forbidden: ${reason}`
        : `${qualified} ${goQuote(name)} is forbidden: ${reason}`,
    reason: "Forbidden",
    details: { ...(name !== "" ? { name } : {}), group: RBAC_GROUP, kind: resource },
    code: 403,
  });
}

const metaOf = (obj: KubeObject | undefined) =>
  (obj?.metadata ?? {}) as Record<string, unknown> & { name?: string };

/** Metadata fields a change of which says nothing about permissions. */
const GC_AND_SERVER_FIELDS = [
  "ownerReferences",
  "finalizers",
  "selfLink",
  "resourceVersion",
  "managedFields",
];

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

/**
 * Upstream's IsOnlyMutatingGCFields: an update changing only owner
 * references and finalizers (what the garbage collector writes) needs no
 * escalation check. Server-kept resourceVersion and managedFields are
 * ignored as well, as upstream compares after they are settled.
 */
export function isOnlyMutatingGCFields(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const meta = { ...metaOf(o) };
    for (const f of GC_AND_SERVER_FIELDS) delete meta[f];
    return canonical({ ...o, metadata: meta });
  };
  return JSON.stringify(strip(obj)) === JSON.stringify(strip(old));
}

const FULL_AUTHORITY: readonly PolicyRule[] = [
  { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
  { nonResourceURLs: ["*"], verbs: ["*"] },
];

const hasAggregationRule = (obj: KubeObject | undefined) => {
  const rule = (obj as { aggregationRule?: AggregationRule } | undefined)?.aggregationRule;
  return (rule?.clusterRoleSelectors?.length ?? 0) > 0;
};

export interface RoleWrite {
  readonly kind: "Role" | "ClusterRole";
  readonly operation: "CREATE" | "UPDATE";
  readonly user: UserInfo;
  /** The request's namespace ("" for ClusterRoles). */
  readonly namespace: string;
  /** The name the request path carries ("" for a create). */
  readonly requestName: string;
  readonly object: KubeObject;
  readonly oldObject?: KubeObject | undefined;
}

/** Refuses (403) a Role or ClusterRole write that grants permissions the user lacks. */
export async function checkRoleWrite(deps: EscalationDeps, w: RoleWrite): Promise<void> {
  if (escalationAllowed(w.user)) return;
  const resource = w.kind === "Role" ? "roles" : "clusterroles";
  const namespace = w.kind === "Role" ? w.namespace : "";
  if (
    await roleEscalationAuthorized(deps.authorizer, w.user, {
      resource,
      namespace,
      name: w.requestName,
    })
  )
    return;
  if (w.operation === "UPDATE" && w.oldObject && isOnlyMutatingGCFields(w.object, w.oldObject))
    return;
  const name = metaOf(w.object).name ?? "";
  const rules = ((w.object as { rules?: PolicyRule[] }).rules ?? []) as readonly PolicyRule[];
  const reason = confirmNoEscalation(deps.ruleResolver, w.user, namespace, rules);
  if (reason !== undefined) throw rbacForbidden(resource, name, reason);
  if (
    w.kind === "ClusterRole" &&
    (hasAggregationRule(w.object) || (w.operation === "UPDATE" && hasAggregationRule(w.oldObject)))
  ) {
    // An aggregation rule can gather anything (and, removed, stop tightening): it needs * on *.
    if (confirmNoEscalation(deps.ruleResolver, w.user, "", FULL_AUTHORITY) !== undefined)
      throw rbacForbidden(
        resource,
        name,
        "must have cluster-admin privileges to use the aggregationRule",
      );
  }
}

export interface BindingWrite {
  readonly kind: "RoleBinding" | "ClusterRoleBinding";
  readonly operation: "CREATE" | "UPDATE";
  readonly user: UserInfo;
  /** The request's namespace ("" for ClusterRoleBindings). */
  readonly namespace: string;
  readonly object: KubeObject;
  readonly oldObject?: KubeObject | undefined;
}

/**
 * The rules of the role a binding refers to (upstream's
 * GetRoleReferenceRules over the registry): a missing role is 404, as
 * upstream returns the registry's NotFound unchanged.
 */
async function roleRefRules(
  roles: RoleGetter,
  roleRef: RoleRef,
  namespace: string,
): Promise<readonly PolicyRule[]> {
  if (roleRef.kind === "Role") {
    const role = await roles.role(namespace, roleRef.name);
    if (!role) throw notFound({ group: RBAC_GROUP, resource: "roles" }, roleRef.name);
    return role.rules ?? [];
  }
  if (roleRef.kind === "ClusterRole") {
    const role = await roles.clusterRole(roleRef.name);
    if (!role) throw notFound({ group: RBAC_GROUP, resource: "clusterroles" }, roleRef.name);
    return role.rules ?? [];
  }
  throw internalError(`unsupported role reference kind: ${goQuote(roleRef.kind)}`);
}

/** Refuses (403) a RoleBinding or ClusterRoleBinding write granting permissions the user lacks. */
export async function checkBindingWrite(deps: EscalationDeps, w: BindingWrite): Promise<void> {
  if (escalationAllowed(w.user)) return;
  if (w.operation === "UPDATE" && w.oldObject && isOnlyMutatingGCFields(w.object, w.oldObject))
    return;
  const namespace = w.kind === "RoleBinding" ? w.namespace : "";
  const roleRef = (w.object as { roleRef?: RoleRef }).roleRef ?? {
    apiGroup: "",
    kind: "",
    name: "",
  };
  if (await bindingAuthorized(deps.authorizer, w.user, roleRef, namespace)) return;
  const rules = await roleRefRules(deps.roles, roleRef, namespace);
  const reason = confirmNoEscalation(deps.ruleResolver, w.user, namespace, rules);
  if (reason !== undefined)
    throw rbacForbidden(
      w.kind === "RoleBinding" ? "rolebindings" : "clusterrolebindings",
      metaOf(w.object).name ?? "",
      reason,
    );
}
