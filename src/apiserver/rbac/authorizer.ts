/**
 * The RBAC authorizer, as upstream's plugin/pkg/auth/authorizer/rbac with
 * the rule resolver of pkg/registry/rbac/validation/rule.go: a request is
 * allowed when a rule reached through a ClusterRoleBinding, or (for a
 * request in a namespace) a RoleBinding of that namespace, allows it.
 * Nothing is ever denied outright: no rule means no opinion, and the
 * reason then names only the bindings whose roles could not be resolved.
 */
import type { PolicyRule, RoleRef } from "kubernetes-types/rbac/v1.js";
import type { Authorizer, Decision } from "../authz.js";
import type { RequestInfo } from "../http/request-info.js";
import type { UserInfo } from "../registry/context.js";
import { ruleAllows } from "./rules.js";
import { describeSubject, firstApplying } from "./subjects.js";
import type { Attributes, RbacObjects, RuleResolver, RulesFor } from "./types.js";

/**
 * What RBAC sees of a request. Requests on a namespace object itself
 * (/api/v1/namespaces/{name}[/status|/finalize]) are in that namespace,
 * as upstream's RequestInfoFactory puts them, so RoleBindings there apply.
 */
export function attributesOf(info: RequestInfo): Attributes {
  if (!info.isResource) return { isResource: false, verb: info.verb, path: info.path };
  const ownNamespace = info.group === "" && info.resource === "namespaces" && info.name !== "";
  return {
    isResource: true,
    verb: info.verb,
    group: info.group,
    resource: info.resource,
    subresource: info.subresource,
    namespace: ownNamespace ? info.name : info.namespace,
    name: info.name,
  };
}

/** Called with each rule that applies (and where it came from) or each resolution error; false stops. */
export type RuleVisitor = (
  visit: { rule: PolicyRule; source: string } | { error: string },
) => boolean;

/** Go's utilerrors.NewAggregate(...).Error(): one message as is, several deduplicated in brackets. */
export function aggregateMessage(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  if (unique.length === 1) return unique[0] as string;
  return `[${unique.join(", ")}]`;
}

export class RbacAuthorizer implements Authorizer, RuleResolver {
  constructor(private readonly objects: RbacObjects) {}

  async authorize(user: UserInfo, request: RequestInfo): Promise<Decision> {
    return this.authorizeAttributes(user, attributesOf(request));
  }

  /** Synchronous: every read is from memory. */
  authorizeAttributes(user: UserInfo, attrs: Attributes): Decision {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    this.visitRulesFor(user, attrs.isResource ? attrs.namespace : "", (v) => {
      if ("error" in v) {
        errors.push(v.error);
        return true;
      }
      if (!ruleAllows(attrs, v.rule)) return true;
      allowedBy = v.source;
      return false;
    });
    if (allowedBy !== undefined) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregateMessage(errors)}` : "" };
  }

  rulesFor(user: UserInfo, namespace: string): RulesFor {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (v) => {
      if ("error" in v) errors.push(v.error);
      else rules.push(v.rule);
      return true;
    });
    return { rules, incomplete: errors.length > 0, errors };
  }

  /** ClusterRoleBindings first, then the RoleBindings of `namespace` (none when it is ""). */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    for (const b of this.objects.clusterRoleBindings()) {
      const subject = firstApplying(b.subjects, user, "");
      if (!subject) continue;
      const resolved = this.roleRules(b.roleRef, "");
      if ("error" in resolved) {
        if (!visit(resolved)) return;
        continue;
      }
      const source = `ClusterRoleBinding ${q(b.metadata?.name ?? "")} of ${b.roleRef.kind} ${q(b.roleRef.name)} to ${describeSubject(subject, "")}`;
      for (const rule of resolved.rules) if (!visit({ rule, source })) return;
    }
    if (namespace === "") return;
    for (const b of this.objects.roleBindings(namespace)) {
      const subject = firstApplying(b.subjects, user, namespace);
      if (!subject) continue;
      const resolved = this.roleRules(b.roleRef, namespace);
      if ("error" in resolved) {
        if (!visit(resolved)) return;
        continue;
      }
      const source = `RoleBinding ${q(`${b.metadata?.name ?? ""}/${namespace}`)} of ${b.roleRef.kind} ${q(b.roleRef.name)} to ${describeSubject(subject, namespace)}`;
      for (const rule of resolved.rules) if (!visit({ rule, source })) return;
    }
  }

  /** The rules a roleRef names, or upstream's NotFound message for a missing role. */
  private roleRules(
    ref: RoleRef,
    bindingNamespace: string,
  ): { rules: readonly PolicyRule[] } | { error: string } {
    switch (ref.kind) {
      case "Role": {
        const role =
          bindingNamespace === "" ? undefined : this.objects.role(bindingNamespace, ref.name);
        if (!role) return { error: `role.rbac.authorization.k8s.io ${q(ref.name)} not found` };
        return { rules: role.rules ?? [] };
      }
      case "ClusterRole": {
        const role = this.objects.clusterRole(ref.name);
        if (!role)
          return { error: `clusterrole.rbac.authorization.k8s.io ${q(ref.name)} not found` };
        return { rules: role.rules ?? [] };
      }
      default:
        return { error: `unsupported role reference kind: ${q(ref.kind)}` };
    }
  }
}

/** Go's %q for the names RBAC quotes. */
const q = (s: string) => JSON.stringify(s);
