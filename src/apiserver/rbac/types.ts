/**
 * The contracts of RBAC authorization (rbac.authorization.k8s.io/v1), as
 * upstream's plugin/pkg/auth/authorizer/rbac: what a request asks (its
 * attributes), where Roles and bindings are read from, and the rules a
 * user holds in a namespace (SelfSubjectRulesReview, escalation checks).
 */
import type {
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
} from "kubernetes-types/rbac/v1.js";
import type { UserInfo } from "../registry/context.js";

/** A request on a resource, as RBAC rules match it. */
export interface ResourceAttributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  /** "" when none. */
  readonly subresource: string;
  /** "" for cluster-scoped requests (and all-namespace lists). */
  readonly namespace: string;
  /** "" when the request names no object (list, create without a name). */
  readonly name: string;
}

/** A request on a non-resource URL (/healthz, /metrics, /api...). */
export interface NonResourceAttributes {
  /** Lower-cased HTTP verb: get, post, put, patch, delete. */
  readonly verb: string;
  readonly path: string;
}

export type Attributes =
  | ({ readonly isResource: true } & ResourceAttributes)
  | ({ readonly isResource: false } & NonResourceAttributes);

/** Where the authorizer reads RBAC objects (a watched cache of the store; arrays in tests). */
export interface RbacObjects {
  clusterRole(name: string): ClusterRole | undefined;
  role(namespace: string, name: string): Role | undefined;
  clusterRoleBindings(): readonly ClusterRoleBinding[];
  roleBindings(namespace: string): readonly RoleBinding[];
}

/** The rules that apply to a user in a namespace ("" for cluster-wide ones only). */
export interface RulesFor {
  readonly rules: readonly PolicyRule[];
  /** Some binding could not be resolved (its role is missing): the list may be short. */
  readonly incomplete: boolean;
  readonly errors: readonly string[];
}

export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): RulesFor;
}
