/**
 * Whether a binding's subject is a user, as upstream's appliesToUser
 * (pkg/registry/rbac/validation/rule.go), and how a subject is described
 * in the authorizer's reasons. Pure functions.
 */
import type { Subject } from "kubernetes-types/rbac/v1.js";
import type { UserInfo } from "../registry/context.js";

export const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

/** `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/**
 * `bindingNamespace` is the RoleBinding's namespace ("" for a
 * ClusterRoleBinding): a ServiceAccount subject without a namespace means
 * one in the binding's namespace, and matches nobody in a ClusterRoleBinding.
 */
export function appliesTo(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.name === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const ns = subject.namespace ? subject.namespace : bindingNamespace;
      if (ns === "") return false;
      return user.name === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

/** The first subject of `subjects` that is the user. */
export function firstApplying(
  subjects: readonly Subject[] | undefined,
  user: UserInfo,
  bindingNamespace: string,
): Subject | undefined {
  return (subjects ?? []).find((s) => appliesTo(s, user, bindingNamespace));
}

/** `User "jane"`, `Group "devs"`, `ServiceAccount "default/kube-system"` (upstream's name/namespace order). */
export function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === "ServiceAccount") {
    const ns = subject.namespace ? subject.namespace : bindingNamespace;
    return `${subject.kind} ${JSON.stringify(`${subject.name}/${ns}`)}`;
  }
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}
