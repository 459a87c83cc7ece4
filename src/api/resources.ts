/**
 * The built-in resources k8ts serves: names, scope, verbs and subresources
 * as upstream Kubernetes v1.32 declares them (these are facts kubectl relies
 * on: short names, categories such as `all`, which verbs exist). Pure data;
 * the API server builds its routes, discovery and OpenAPI from it, and
 * custom resources add descriptors of the same shape at run time.
 */

export type Verb =
  | "create"
  | "delete"
  | "deletecollection"
  | "get"
  | "list"
  | "patch"
  | "update"
  | "watch";

export interface ResourceDescriptor {
  /** API group; "" for the core ("legacy") group served under /api. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The resource name in URLs: `pods`. */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  readonly verbs: readonly Verb[];
  /**
   * Subresources served under `<plural>/<name>/<sub>`. `status` and `scale`
   * are generic; the others are handled by their own code (or answer 501/503
   * until the component behind them exists).
   */
  readonly subresources: readonly string[];
  /**
   * Where the scale subresource reads and writes replicas, as JSON paths
   * (`.spec.replicas`): a custom resource's CRD says; built-ins use
   * spec.replicas, status.replicas and spec.selector.
   */
  readonly scalePaths?: {
    readonly specReplicas: string;
    readonly statusReplicas: string;
    readonly labelSelector?: string;
  };
}

const ALL_VERBS: readonly Verb[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

function r(
  group: string,
  version: string,
  kind: string,
  plural: string,
  opts: {
    namespaced?: boolean;
    shortNames?: string[];
    categories?: string[];
    subresources?: string[];
    verbs?: Verb[];
  } = {},
): ResourceDescriptor {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    namespaced: opts.namespaced ?? true,
    verbs: opts.verbs ?? ALL_VERBS,
    subresources: opts.subresources ?? [],
  };
}

const NO_COLLECTION_DELETE: Verb[] = [
  "create",
  "delete",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];
const all = ["all"];

export const BUILTIN_RESOURCES: readonly ResourceDescriptor[] = [
  // core/v1
  r("", "v1", "Namespace", "namespaces", {
    namespaced: false,
    shortNames: ["ns"],
    subresources: ["status", "finalize"],
    verbs: NO_COLLECTION_DELETE,
  }),
  r("", "v1", "Pod", "pods", {
    shortNames: ["po"],
    categories: all,
    subresources: [
      "status",
      "binding",
      "eviction",
      "log",
      "exec",
      "attach",
      "portforward",
      "proxy",
      "ephemeralcontainers",
    ],
  }),
  r("", "v1", "Service", "services", {
    shortNames: ["svc"],
    categories: all,
    subresources: ["status", "proxy"],
  }),
  r("", "v1", "Endpoints", "endpoints", { shortNames: ["ep"] }),
  r("", "v1", "ConfigMap", "configmaps", { shortNames: ["cm"] }),
  r("", "v1", "Secret", "secrets"),
  r("", "v1", "ServiceAccount", "serviceaccounts", {
    shortNames: ["sa"],
    subresources: ["token"],
  }),
  r("", "v1", "Node", "nodes", {
    namespaced: false,
    shortNames: ["no"],
    subresources: ["status", "proxy"],
  }),
  r("", "v1", "Event", "events", { shortNames: ["ev"] }),
  r("", "v1", "PersistentVolume", "persistentvolumes", {
    namespaced: false,
    shortNames: ["pv"],
    subresources: ["status"],
  }),
  r("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", {
    shortNames: ["pvc"],
    subresources: ["status"],
  }),
  r("", "v1", "ReplicationController", "replicationcontrollers", {
    shortNames: ["rc"],
    categories: all,
    subresources: ["status", "scale"],
  }),
  r("", "v1", "LimitRange", "limitranges", { shortNames: ["limits"] }),
  r("", "v1", "ResourceQuota", "resourcequotas", {
    shortNames: ["quota"],
    subresources: ["status"],
  }),
  r("", "v1", "PodTemplate", "podtemplates"),
  // apps/v1
  r("apps", "v1", "Deployment", "deployments", {
    shortNames: ["deploy"],
    categories: all,
    subresources: ["status", "scale"],
  }),
  r("apps", "v1", "ReplicaSet", "replicasets", {
    shortNames: ["rs"],
    categories: all,
    subresources: ["status", "scale"],
  }),
  r("apps", "v1", "StatefulSet", "statefulsets", {
    shortNames: ["sts"],
    categories: all,
    subresources: ["status", "scale"],
  }),
  r("apps", "v1", "DaemonSet", "daemonsets", {
    shortNames: ["ds"],
    categories: all,
    subresources: ["status"],
  }),
  r("apps", "v1", "ControllerRevision", "controllerrevisions"),
  // batch/v1
  r("batch", "v1", "Job", "jobs", { categories: all, subresources: ["status"] }),
  r("batch", "v1", "CronJob", "cronjobs", {
    shortNames: ["cj"],
    categories: all,
    subresources: ["status"],
  }),
  // autoscaling
  r("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", {
    shortNames: ["hpa"],
    categories: all,
    subresources: ["status"],
  }),
  r("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", {
    shortNames: ["hpa"],
    categories: all,
    subresources: ["status"],
  }),
  // policy/v1
  r("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", {
    shortNames: ["pdb"],
    subresources: ["status"],
  }),
  // coordination.k8s.io/v1
  r("coordination.k8s.io", "v1", "Lease", "leases"),
  // discovery.k8s.io/v1
  r("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"),
  // events.k8s.io/v1
  r("events.k8s.io", "v1", "Event", "events", { shortNames: ["ev"] }),
  // networking.k8s.io/v1
  r("networking.k8s.io", "v1", "Ingress", "ingresses", {
    shortNames: ["ing"],
    subresources: ["status"],
  }),
  r("networking.k8s.io", "v1", "IngressClass", "ingressclasses", { namespaced: false }),
  r("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", { shortNames: ["netpol"] }),
  // storage.k8s.io/v1
  r("storage.k8s.io", "v1", "StorageClass", "storageclasses", {
    namespaced: false,
    shortNames: ["sc"],
  }),
  // scheduling.k8s.io/v1
  r("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", {
    namespaced: false,
    shortNames: ["pc"],
  }),
  // apiextensions.k8s.io/v1
  r("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", {
    namespaced: false,
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
    subresources: ["status"],
  }),
  // rbac.authorization.k8s.io/v1
  r("rbac.authorization.k8s.io", "v1", "Role", "roles"),
  r("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
  r("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", { namespaced: false }),
  r("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", {
    namespaced: false,
  }),
];

/** `pods` for core resources, `deployments.apps` otherwise (upstream's GroupResource string). */
export function groupResource(d: { group: string; plural: string }): string {
  return d.group === "" ? d.plural : `${d.plural}.${d.group}`;
}

/** `v1` for core, `apps/v1` otherwise. */
export function apiVersionOf(d: { group: string; version: string }): string {
  return d.group === "" ? d.version : `${d.group}/${d.version}`;
}

/** The preferred (first listed) version of each group, in the order groups appear. */
export function preferredVersions(resources: readonly ResourceDescriptor[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of resources) if (!out.has(d.group)) out.set(d.group, d.version);
  return out;
}
