/**
 * RBAC privilege-escalation prevention on writes of Roles, ClusterRoles
 * and their bindings. Upstream does this in the policy-based storage of
 * rbac.authorization.k8s.io (not an admission plugin, so it cannot be
 * disabled); here it runs as a validating step of the admission chain.
 * When RBAC is not enforced (no rule resolver) every write is allowed, as
 * an allow-all authorizer grants `escalate` and `bind` anyway.
 */
import type { ClusterRole, Role } from "kubernetes-types/rbac/v1.js";
import type { Store } from "../../storage/types.js";
import type { Authorizer } from "../authz.js";
import { RbacAuthorizer } from "../rbac/authorizer.js";
import {
  checkBindingWrite,
  checkRoleWrite,
  type EscalationDeps,
  RBAC_GROUP,
  type RoleGetter,
} from "../rbac/escalation.js";
import type { RbacObjects, RuleResolver } from "../rbac/types.js";
import { decodeValue } from "../registry/codec.js";
import { prefixFor } from "../registry/keys.js";
import type { AdmissionAttributes, AdmissionPlugin } from "./chain.js";

const KINDS: Record<string, "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding"> = {
  roles: "Role",
  clusterroles: "ClusterRole",
  rolebindings: "RoleBinding",
  clusterrolebindings: "ClusterRoleBinding",
};

export const PLUGIN_NAME = "RBACEscalation";

/** The authorizer's RuleResolver side, when it has one (the RBAC authorizer does). */
export function ruleResolverOf(authorizer: unknown): RuleResolver | undefined {
  const r = authorizer as Partial<RuleResolver> | undefined;
  return r && typeof r.rulesFor === "function" ? (r as RuleResolver) : undefined;
}

/** Reads Roles and ClusterRoles from the store. */
export function storeRoleGetter(store: Store): RoleGetter {
  const read = async <T>(key: string): Promise<T | undefined> => {
    const kv = await store.get(key);
    return kv ? (decodeValue(kv.value) as unknown as T) : undefined;
  };
  return {
    role: (namespace, name) =>
      read<Role>(`${prefixFor({ group: RBAC_GROUP, plural: "roles" }, namespace)}${name}`),
    clusterRole: (name) =>
      read<ClusterRole>(`${prefixFor({ group: RBAC_GROUP, plural: "clusterroles" })}${name}`),
  };
}

export interface RbacEscalationOptions {
  /** The authorizer requests go through (asked for `escalate` and `bind`). */
  readonly authorizer: () => Authorizer;
  /**
   * The rules users hold; undefined while RBAC is not enforced, which turns
   * the checks off. Default: the authorizer itself when it resolves rules.
   */
  readonly ruleResolver?: () => RuleResolver | undefined;
  /** Where referenced roles are read (default: the store). */
  readonly roles?: RoleGetter;
}

const handles = (a: AdmissionAttributes) =>
  (a.operation === "CREATE" || a.operation === "UPDATE") &&
  a.resource.group === RBAC_GROUP &&
  a.subresource === "" &&
  KINDS[a.resource.plural] !== undefined &&
  a.object !== undefined;

export function rbacEscalation(store: Store, opts: RbacEscalationOptions): AdmissionPlugin {
  const roles = opts.roles ?? storeRoleGetter(store);
  const resolverFor = opts.ruleResolver ?? (() => ruleResolverOf(opts.authorizer()));
  return {
    name: PLUGIN_NAME,
    handles,
    async validate(a) {
      const ruleResolver = resolverFor();
      const kind = KINDS[a.resource.plural];
      if (!ruleResolver || !kind || !a.object) return;
      if (a.operation !== "CREATE" && a.operation !== "UPDATE") return;
      const deps: EscalationDeps = { authorizer: opts.authorizer(), ruleResolver, roles };
      const common = {
        operation: a.operation,
        user: a.user,
        namespace: a.namespace,
        object: a.object,
        oldObject: a.oldObject,
      };
      if (kind === "Role" || kind === "ClusterRole") {
        // Upstream asks for `escalate` on the request's name, which a create (POST) has none of.
        await checkRoleWrite(deps, {
          ...common,
          kind,
          requestName: a.operation === "CREATE" ? "" : a.name,
        });
      } else {
        await checkBindingWrite(deps, { ...common, kind });
      }
    },
  };
}

const resolvers = new WeakMap<RbacObjects, RuleResolver>();

/** The rules users hold as RBAC reads them from `objects`; undefined when RBAC is not enforced. */
export function rbacRuleResolver(objects: RbacObjects | undefined): RuleResolver | undefined {
  if (!objects) return undefined;
  let r = resolvers.get(objects);
  if (!r) {
    r = new RbacAuthorizer(objects);
    resolvers.set(objects, r);
  }
  return r;
}
