/**
 * Upstream's default RBAC policy (plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy): the ClusterRoles, ClusterRoleBindings and the
 * namespaced Roles/RoleBindings every cluster starts with. Pure data; the
 * `rbac/bootstrap-roles` post-start hook (reconcile.ts) writes them.
 *
 * Left out: roles for APIs k8ts does not serve (certificates.k8s.io signer
 * approvers, system:node-bootstrapper) and the per-controller
 * `system:controller:*` roles, which only matter with
 * --use-service-account-credentials (k8ts's controller manager runs under
 * one identity).
 */
import type {
  AggregationRule,
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
  Subject,
} from "kubernetes-types/rbac/v1.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";
export const AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";
export const BOOTSTRAPPING_LABEL = "kubernetes.io/bootstrapping";
export const AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";
export const AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
export const AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/** A resource rule (verbs, resources and names sorted as upstream's rule builder does). */
export function rule(
  verbs: readonly string[],
  apiGroups: readonly string[],
  resources: readonly string[],
  resourceNames?: readonly string[],
): PolicyRule {
  return {
    verbs: sorted(verbs),
    apiGroups: sorted(apiGroups),
    resources: sorted(resources),
    ...(resourceNames && resourceNames.length > 0 ? { resourceNames: sorted(resourceNames) } : {}),
  };
}

/** A non-resource URL rule. */
export function urlRule(verbs: readonly string[], urls: readonly string[]): PolicyRule {
  return { verbs: sorted(verbs), nonResourceURLs: sorted(urls) };
}

function defaultMeta(name: string, labels: Record<string, string> = {}, namespace?: string) {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    labels: { [BOOTSTRAPPING_LABEL]: "rbac-defaults", ...labels },
    annotations: { [AUTOUPDATE_ANNOTATION]: "true" },
  };
}

function clusterRole(
  name: string,
  rules: PolicyRule[],
  opts: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): ClusterRole {
  const aggregationRule: AggregationRule | undefined =
    opts.aggregateFrom !== undefined
      ? { clusterRoleSelectors: [{ matchLabels: { [opts.aggregateFrom]: "true" } }] }
      : undefined;
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRole",
    metadata: defaultMeta(name, opts.labels),
    ...(aggregationRule ? { aggregationRule } : {}),
    rules,
  };
}

export const group = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: "Group", name });
export const user = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: "User", name });
export const serviceAccount = (namespace: string, name: string): Subject => ({
  kind: "ServiceAccount",
  name,
  namespace,
});

function clusterBinding(name: string, subjects: Subject[], role = name): ClusterRoleBinding {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRoleBinding",
    metadata: defaultMeta(name),
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: role },
    ...(subjects.length > 0 ? { subjects } : {}),
  };
}

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const READ_WRITE = [...READ, ...WRITE];
const EVENTS_WRITE = rule(["create", "update", "patch"], ["", "events.k8s.io"], ["events"]);

/** The rules of system:aggregate-to-view (what `view` holds for built-in resources). */
function viewRules(): PolicyRule[] {
  return [
    rule(
      READ,
      [""],
      [
        "pods",
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "serviceaccounts",
        "services",
        "services/status",
        "endpoints",
        "persistentvolumeclaims",
        "persistentvolumeclaims/status",
        "configmaps",
      ],
    ),
    rule(
      READ,
      [""],
      [
        "limitranges",
        "resourcequotas",
        "bindings",
        "events",
        "pods/status",
        "resourcequotas/status",
        "namespaces/status",
        "replicationcontrollers/status",
        "pods/log",
      ],
    ),
    // A user bound to view in a namespace may see that namespace.
    rule(READ, [""], ["namespaces"]),
    rule(READ, ["discovery.k8s.io"], ["endpointslices"]),
    rule(
      READ,
      ["apps"],
      [
        "controllerrevisions",
        "statefulsets",
        "statefulsets/scale",
        "statefulsets/status",
        "daemonsets",
        "daemonsets/status",
        "deployments",
        "deployments/scale",
        "deployments/status",
        "replicasets",
        "replicasets/scale",
        "replicasets/status",
      ],
    ),
    rule(READ, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
    rule(READ, ["batch"], ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
    rule(
      READ,
      ["extensions"],
      [
        "daemonsets",
        "daemonsets/status",
        "deployments",
        "deployments/scale",
        "deployments/status",
        "ingresses",
        "ingresses/status",
        "replicasets",
        "replicasets/scale",
        "replicasets/status",
        "replicationcontrollers/scale",
        "networkpolicies",
      ],
    ),
    rule(READ, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
    rule(READ, ["networking.k8s.io"], ["networkpolicies", "ingresses", "ingresses/status"]),
  ];
}

/** The rules of system:aggregate-to-edit. */
function editRules(): PolicyRule[] {
  return [
    // Reading secrets and proxying/exec-ing into pods are writes in effect: edit, not view.
    rule(
      READ,
      [""],
      ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"],
    ),
    rule(["impersonate"], [""], ["serviceaccounts"]),
    rule(WRITE, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
    rule(["create"], [""], ["pods/eviction"]),
    rule(
      WRITE,
      [""],
      [
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "serviceaccounts",
        "services",
        "services/proxy",
        "persistentvolumeclaims",
        "configmaps",
        "secrets",
        "events",
      ],
    ),
    rule(["create"], [""], ["serviceaccounts/token"]),
    rule(
      WRITE,
      ["apps"],
      [
        "statefulsets",
        "statefulsets/scale",
        "daemonsets",
        "deployments",
        "deployments/scale",
        "deployments/rollback",
        "replicasets",
        "replicasets/scale",
      ],
    ),
    rule(WRITE, ["autoscaling"], ["horizontalpodautoscalers"]),
    rule(WRITE, ["batch"], ["jobs", "cronjobs"]),
    rule(
      WRITE,
      ["extensions"],
      [
        "daemonsets",
        "deployments",
        "deployments/scale",
        "deployments/rollback",
        "ingresses",
        "replicasets",
        "replicasets/scale",
        "replicationcontrollers/scale",
        "networkpolicies",
      ],
    ),
    rule(WRITE, ["policy"], ["poddisruptionbudgets"]),
    rule(WRITE, ["networking.k8s.io"], ["networkpolicies", "ingresses"]),
    rule(READ_WRITE, ["coordination.k8s.io"], ["leases"]),
  ];
}

/** The rules of system:aggregate-to-admin. */
function adminRules(): PolicyRule[] {
  return [
    rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
    rule(READ_WRITE, [RBAC_GROUP], ["roles", "rolebindings"]),
  ];
}

/** Upstream's default ClusterRoles (v1.30), in name order. */
export function defaultClusterRoles(): ClusterRole[] {
  const roles = [
    clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"]), urlRule(["*"], ["*"])]),
    // The user-facing roles are aggregated: their rules are the union of the
    // ClusterRoles labelled for them (the clusterrole-aggregation controller).
    clusterRole("admin", [], { aggregateFrom: AGGREGATE_TO_ADMIN }),
    clusterRole("edit", [], {
      aggregateFrom: AGGREGATE_TO_EDIT,
      labels: { [AGGREGATE_TO_ADMIN]: "true" },
    }),
    clusterRole("view", [], {
      aggregateFrom: AGGREGATE_TO_VIEW,
      labels: { [AGGREGATE_TO_EDIT]: "true" },
    }),
    clusterRole("system:aggregate-to-admin", adminRules(), {
      labels: { [AGGREGATE_TO_ADMIN]: "true" },
    }),
    clusterRole("system:aggregate-to-edit", editRules(), {
      labels: { [AGGREGATE_TO_EDIT]: "true" },
    }),
    clusterRole("system:aggregate-to-view", viewRules(), {
      labels: { [AGGREGATE_TO_VIEW]: "true" },
    }),
    clusterRole("system:discovery", [
      urlRule(
        ["get"],
        [
          "/healthz",
          "/livez",
          "/readyz",
          "/version",
          "/version/",
          "/openapi",
          "/openapi/*",
          "/api",
          "/api/*",
          "/apis",
          "/apis/*",
        ],
      ),
    ]),
    clusterRole("system:monitoring", [
      urlRule(
        ["get"],
        [
          "/metrics",
          "/metrics/slis",
          "/livez",
          "/readyz",
          "/healthz",
          "/livez/*",
          "/readyz/*",
          "/healthz/*",
        ],
      ),
    ]),
    clusterRole("system:basic-user", [
      rule(
        ["create"],
        ["authorization.k8s.io"],
        ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
      ),
      rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
    ]),
    clusterRole("system:public-info-viewer", [
      urlRule(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"]),
    ]),
    clusterRole("system:auth-delegator", [
      rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
      rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
    ]),
    clusterRole("system:heapster", [
      rule(READ, [""], ["events", "pods", "nodes", "namespaces"]),
      rule(READ, ["extensions"], ["deployments"]),
    ]),
    clusterRole("system:node", [
      rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
      rule(
        ["create"],
        ["authorization.k8s.io"],
        ["subjectaccessreviews", "localsubjectaccessreviews"],
      ),
      rule(READ, [""], ["services"]),
      rule(["create", "get", "list", "watch"], [""], ["nodes"]),
      rule(["update", "patch"], [""], ["nodes/status"]),
      rule(["update", "patch"], [""], ["nodes"]),
      rule(["create", "update", "patch"], [""], ["events"]),
      rule(READ, [""], ["pods"]),
      rule(["create", "delete"], [""], ["pods"]),
      rule(["update", "patch"], [""], ["pods/status"]),
      rule(["create"], [""], ["pods/eviction"]),
      rule(READ, [""], ["secrets", "configmaps"]),
      rule(["get"], [""], ["persistentvolumeclaims", "persistentvolumes"]),
      rule(["get"], [""], ["endpoints"]),
      rule(
        ["create", "get", "list", "watch"],
        ["certificates.k8s.io"],
        ["certificatesigningrequests"],
      ),
      rule(["get", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"]),
      rule(["get"], ["storage.k8s.io"], ["volumeattachments"]),
      rule(["create"], [""], ["serviceaccounts/token"]),
      rule(["get", "update", "patch"], [""], ["persistentvolumeclaims/status"]),
      rule(READ, ["storage.k8s.io"], ["csidrivers"]),
      rule(["get", "create", "update", "patch", "delete"], ["storage.k8s.io"], ["csinodes"]),
      rule(READ, ["node.k8s.io"], ["runtimeclasses"]),
    ]),
    clusterRole("system:node-problem-detector", [
      rule(["get"], [""], ["nodes"]),
      rule(["patch"], [""], ["nodes/status"]),
      EVENTS_WRITE,
    ]),
    clusterRole("system:kubelet-api-admin", [
      rule(READ, [""], ["nodes"]),
      rule(["proxy"], [""], ["nodes"]),
      rule(["*"], [""], ["nodes/proxy", "nodes/metrics", "nodes/stats", "nodes/log"]),
    ]),
    clusterRole("system:node-proxier", [
      rule(["list", "watch"], [""], ["services", "endpoints"]),
      rule(READ, [""], ["nodes"]),
      EVENTS_WRITE,
      rule(["list", "watch"], ["discovery.k8s.io"], ["endpointslices"]),
    ]),
    clusterRole("system:kube-aggregator", [rule(READ, [""], ["services", "endpoints"])]),
    clusterRole("system:kube-controller-manager", [
      EVENTS_WRITE,
      rule(["create"], ["coordination.k8s.io"], ["leases"]),
      rule(["get", "update"], ["coordination.k8s.io"], ["leases"], ["kube-controller-manager"]),
      rule(["create"], [""], ["secrets", "serviceaccounts"]),
      rule(["delete"], [""], ["secrets"]),
      rule(["get"], [""], ["namespaces", "secrets", "serviceaccounts", "configmaps"]),
      rule(["update"], [""], ["secrets", "serviceaccounts"]),
      rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
      rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
      // Shared informers list and watch everything.
      rule(["list", "watch"], ["*"], ["*"]),
      rule(["create"], [""], ["serviceaccounts/token"]),
    ]),
    clusterRole("system:kube-dns", [rule(["list", "watch"], [""], ["endpoints", "services"])]),
    clusterRole("system:persistent-volume-provisioner", [
      rule(["get", "list", "watch", "create", "delete"], [""], ["persistentvolumes"]),
      rule(["get", "list", "watch", "update"], [""], ["persistentvolumeclaims"]),
      rule(READ, ["storage.k8s.io"], ["storageclasses"]),
      rule(["watch"], [""], ["events"]),
      EVENTS_WRITE,
    ]),
    clusterRole("system:kube-scheduler", [
      EVENTS_WRITE,
      rule(["create"], ["coordination.k8s.io"], ["leases"]),
      rule(["get", "update"], ["coordination.k8s.io"], ["leases"], ["kube-scheduler"]),
      rule(READ, [""], ["nodes"]),
      rule(["get", "list", "watch", "delete"], [""], ["pods"]),
      rule(["create"], [""], ["pods/binding", "bindings"]),
      rule(["patch", "update"], [""], ["pods/status"]),
      rule(READ, [""], ["replicationcontrollers", "services"]),
      rule(READ, ["apps", "extensions"], ["replicasets"]),
      rule(READ, ["apps"], ["statefulsets"]),
      rule(READ, ["policy"], ["poddisruptionbudgets"]),
      rule(READ, [""], ["persistentvolumeclaims", "persistentvolumes"]),
      rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
      rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
      rule(READ, ["storage.k8s.io"], ["csinodes"]),
      rule(READ, [""], ["namespaces"]),
      rule(READ, ["storage.k8s.io"], ["csidrivers"]),
      rule(READ, ["storage.k8s.io"], ["csistoragecapacities"]),
    ]),
    clusterRole("system:volume-scheduler", [
      rule(["get", "list", "watch", "patch", "update"], [""], ["persistentvolumes"]),
      rule(READ, ["storage.k8s.io"], ["storageclasses"]),
      rule(["get", "list", "watch", "patch", "update"], [""], ["persistentvolumeclaims"]),
    ]),
    clusterRole("system:service-account-issuer-discovery", [
      urlRule(["get"], ["/.well-known/openid-configuration", "/openid/v1/jwks"]),
    ]),
  ];
  return roles.sort((a, b) => cmp(a.metadata?.name ?? "", b.metadata?.name ?? ""));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Upstream's default ClusterRoleBindings (v1.30), in name order. */
export function defaultClusterRoleBindings(): ClusterRoleBinding[] {
  const bindings = [
    clusterBinding("cluster-admin", [group("system:masters")]),
    clusterBinding("system:monitoring", [group("system:monitoring")]),
    clusterBinding("system:discovery", [group("system:authenticated")]),
    clusterBinding("system:basic-user", [group("system:authenticated")]),
    clusterBinding("system:public-info-viewer", [
      group("system:authenticated"),
      group("system:unauthenticated"),
    ]),
    clusterBinding("system:node-proxier", [user("system:kube-proxy")]),
    clusterBinding("system:kube-controller-manager", [user("system:kube-controller-manager")]),
    clusterBinding("system:kube-dns", [serviceAccount("kube-system", "kube-dns")]),
    clusterBinding("system:kube-scheduler", [user("system:kube-scheduler")]),
    clusterBinding("system:volume-scheduler", [user("system:kube-scheduler")]),
    // Kept without subjects since the Node authorizer took over (upstream does the same).
    clusterBinding("system:node", []),
    clusterBinding("system:service-account-issuer-discovery", [group("system:serviceaccounts")]),
  ];
  return bindings.sort((a, b) => cmp(a.metadata?.name ?? "", b.metadata?.name ?? ""));
}

function role(namespace: string, name: string, rules: PolicyRule[]): Role {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "Role",
    metadata: defaultMeta(name, {}, namespace),
    rules,
  };
}

function roleBinding(
  namespace: string,
  name: string,
  roleName: string,
  subjects: Subject[],
): RoleBinding {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "RoleBinding",
    metadata: defaultMeta(name, {}, namespace),
    roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name: roleName },
    subjects,
  };
}

const LEADER_LOCKING = [
  rule(["create", "get", "list", "update", "watch"], ["coordination.k8s.io"], ["leases"]),
];

/** Upstream's namespaced default Roles (kube-system, kube-public). */
export function defaultNamespaceRoles(): Role[] {
  return [
    role("kube-system", "extension-apiserver-authentication-reader", [
      rule(READ, [""], ["configmaps"], ["extension-apiserver-authentication"]),
    ]),
    role("kube-system", "system::leader-locking-kube-controller-manager", LEADER_LOCKING),
    role("kube-system", "system::leader-locking-kube-scheduler", LEADER_LOCKING),
    role("kube-system", "system:controller:bootstrap-signer", [rule(READ, [""], ["secrets"])]),
    role("kube-system", "system:controller:cloud-provider", [
      rule(["create", "get", "list", "watch"], [""], ["configmaps"]),
    ]),
    role("kube-system", "system:controller:token-cleaner", [
      rule(["delete", "get", "list", "watch"], [""], ["secrets"]),
      EVENTS_WRITE,
    ]),
    role("kube-public", "system:controller:bootstrap-signer", [
      rule(READ, [""], ["configmaps"]),
      rule(["update"], [""], ["configmaps"], ["cluster-info"]),
      EVENTS_WRITE,
    ]),
  ];
}

/** Upstream's namespaced default RoleBindings. */
export function defaultNamespaceRoleBindings(): RoleBinding[] {
  return [
    roleBinding(
      "kube-system",
      "system::extension-apiserver-authentication-reader",
      "extension-apiserver-authentication-reader",
      [user("system:kube-controller-manager"), user("system:kube-scheduler")],
    ),
    roleBinding(
      "kube-system",
      "system::leader-locking-kube-controller-manager",
      "system::leader-locking-kube-controller-manager",
      [
        user("system:kube-controller-manager"),
        serviceAccount("kube-system", "kube-controller-manager"),
        serviceAccount("kube-system", "leader-election-controller"),
      ],
    ),
    roleBinding(
      "kube-system",
      "system::leader-locking-kube-scheduler",
      "system::leader-locking-kube-scheduler",
      [user("system:kube-scheduler"), serviceAccount("kube-system", "kube-scheduler")],
    ),
    roleBinding(
      "kube-system",
      "system:controller:bootstrap-signer",
      "system:controller:bootstrap-signer",
      [serviceAccount("kube-system", "bootstrap-signer")],
    ),
    roleBinding(
      "kube-system",
      "system:controller:cloud-provider",
      "system:controller:cloud-provider",
      [serviceAccount("kube-system", "cloud-provider")],
    ),
    roleBinding(
      "kube-system",
      "system:controller:token-cleaner",
      "system:controller:token-cleaner",
      [serviceAccount("kube-system", "token-cleaner")],
    ),
    roleBinding(
      "kube-public",
      "system:controller:bootstrap-signer",
      "system:controller:bootstrap-signer",
      [serviceAccount("kube-system", "bootstrap-signer")],
    ),
  ];
}
