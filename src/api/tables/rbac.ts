/** RBAC bindings; Roles and ClusterRoles use the default NAME / CREATED AT table upstream too. */
import type { RoleBinding, Subject } from "kubernetes-types/rbac/v1.js";
import { since } from "./duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, nameOf, view, wide } from "./format.js";
import type { TablePrinter } from "./types.js";

/** Users, groups and `namespace/name` service accounts named by a binding's subjects. */
export function subjectLists(subjects: readonly Subject[] | undefined): {
  users: string[];
  groups: string[];
  serviceAccounts: string[];
} {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === "ServiceAccount") serviceAccounts.push(`${s.namespace ?? ""}/${s.name}`);
    else if (s.kind === "User") users.push(s.name);
    else if (s.kind === "Group") groups.push(s.name);
  }
  return { users, groups, serviceAccounts };
}

function bindingPrinter(what: string): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Role", { description: "The role granted, as Kind/name." }),
      AGE_COLUMN,
      wide("Users", `Users the ${what} grants the role to.`),
      wide("Groups", `Groups the ${what} grants the role to.`),
      wide("ServiceAccounts", `Service accounts the ${what} grants the role to.`),
    ],
    row(obj, now) {
      const binding = view<RoleBinding>(obj);
      const { users, groups, serviceAccounts } = subjectLists(binding.subjects);
      return [
        nameOf(obj),
        `${binding.roleRef?.kind ?? ""}/${binding.roleRef?.name ?? ""}`,
        since(obj.metadata?.creationTimestamp, now),
        users.join(", "),
        groups.join(", "),
        serviceAccounts.join(", "),
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter("binding");
export const clusterRoleBindingPrinter = bindingPrinter("cluster binding");
