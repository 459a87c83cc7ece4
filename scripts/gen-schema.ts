/**
 * Generates src/api/schema/definitions.ts: the OpenAPI definitions of every
 * built-in kind k8ts serves and of every type those kinds reach, keyed by
 * upstream's definition names (io.k8s.api.core.v1.Pod,
 * io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, ...).
 *
 * Regenerate after upgrading `kubernetes-types` or editing the fact tables
 * below:
 *
 *     node --import tsx scripts/gen-schema.ts
 *     npx biome check --write src/api/schema/definitions.ts
 *
 * Where the facts come from:
 * - Field names, nesting, required fields: the `kubernetes-types` .d.ts
 *   files, read with the TypeScript compiler API. `number | string` fields
 *   are IntOrString; `Quantity`, `Time`, `MicroTime` keep their own names.
 * - What the .d.ts files do not carry (integer widths, byte strings, patch
 *   merge keys and strategies, list and map types, atomic structs, and the
 *   fields Kubernetes added after the types package was cut) is listed in
 *   the tables below. They restate facts from upstream's Go struct tags and
 *   `+listType`/`+listMapKey`/`+mapType`/`+structType` markers in
 *   k8s.io/api v0.32 (staging/src/k8s.io/api/<group>/<version>/types.go).
 * - Descriptions are our own words: KIND_DESCRIPTIONS and
 *   COMMON_FIELD_DESCRIPTIONS below for the kinds and their envelope fields,
 *   scripts/schema-descriptions.ts for the most-used other definitions and
 *   fields. Upstream's prose is not copied.
 *
 * The output is data only; src/api/schema/index.ts answers questions over it
 * and src/apiserver/openapi/ turns it into the /openapi/v2 and /openapi/v3
 * documents.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { apiVersionOf, BUILTIN_RESOURCES } from "../src/api/resources.js";
import type { Definitions, SchemaObject } from "../src/api/schema/types.js";
import { FIELD_DESCRIPTIONS, TYPE_DESCRIPTIONS } from "./schema-descriptions.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TYPES_DIR = join(ROOT, "node_modules", "kubernetes-types");
const OUT_FILE = join(ROOT, "src", "api", "schema", "definitions.ts");

/** Group-versions served besides those in BUILTIN_RESOURCES (DESIGN.md section 4). */
const EXTRA_GROUP_VERSIONS = [
  "apiextensions.k8s.io/v1",
  "admissionregistration.k8s.io/v1",
  "certificates.k8s.io/v1",
  "authentication.k8s.io/v1",
  "authorization.k8s.io/v1",
];

// ---------------------------------------------------------------------------
// Fact tables. Keys are `<short package>.<Type>.<field>`; the short package is
// the definition name without `io.k8s.api.` (or `io.k8s.apimachinery.pkg.apis.`
// for meta, `io.k8s.apiextensions-apiserver.pkg.apis.` for apiextensions).
// Every `number` not listed as int64 or double is an int32.
// ---------------------------------------------------------------------------

const INT64_FIELDS = [
  "core.v1.ServiceAccountTokenProjection.expirationSeconds",
  "core.v1.SleepAction.seconds",
  "core.v1.Probe.terminationGracePeriodSeconds",
  "core.v1.LinuxContainerUser.uid",
  "core.v1.LinuxContainerUser.gid",
  "core.v1.LinuxContainerUser.supplementalGroups",
  "core.v1.Toleration.tolerationSeconds",
  "core.v1.PodSpec.terminationGracePeriodSeconds",
  "core.v1.PodSpec.activeDeadlineSeconds",
  "core.v1.PodSecurityContext.runAsUser",
  "core.v1.PodSecurityContext.runAsGroup",
  "core.v1.PodSecurityContext.supplementalGroups",
  "core.v1.PodSecurityContext.fsGroup",
  "core.v1.ReplicationControllerStatus.observedGeneration",
  "core.v1.ContainerImage.sizeBytes",
  "core.v1.SecurityContext.runAsUser",
  "core.v1.SecurityContext.runAsGroup",
  "apps.v1.StatefulSetStatus.observedGeneration",
  "apps.v1.DeploymentStatus.observedGeneration",
  "apps.v1.DaemonSetStatus.observedGeneration",
  "apps.v1.ReplicaSetStatus.observedGeneration",
  "apps.v1.ControllerRevision.revision",
  "batch.v1.JobSpec.activeDeadlineSeconds",
  "batch.v1.CronJobSpec.startingDeadlineSeconds",
  "autoscaling.v1.HorizontalPodAutoscalerStatus.observedGeneration",
  "autoscaling.v2.HorizontalPodAutoscalerStatus.observedGeneration",
  "policy.v1.PodDisruptionBudgetStatus.observedGeneration",
  "storage.v1.TokenRequest.expirationSeconds",
  "admissionregistration.v1.ValidatingAdmissionPolicyStatus.observedGeneration",
  "authentication.v1.TokenRequestSpec.expirationSeconds",
  "meta.v1.ListMeta.remainingItemCount",
  "meta.v1.ObjectMeta.generation",
  "meta.v1.ObjectMeta.deletionGracePeriodSeconds",
  "meta.v1.DeleteOptions.gracePeriodSeconds",
  "meta.v1.Condition.observedGeneration",
  "apiextensions.v1.JSONSchemaProps.maxItems",
  "apiextensions.v1.JSONSchemaProps.maxLength",
  "apiextensions.v1.JSONSchemaProps.maxProperties",
  "apiextensions.v1.JSONSchemaProps.minItems",
  "apiextensions.v1.JSONSchemaProps.minLength",
  "apiextensions.v1.JSONSchemaProps.minProperties",
  "apiextensions.v1.ValidationRule.maxLength",
];

const DOUBLE_FIELDS = [
  "apiextensions.v1.JSONSchemaProps.maximum",
  "apiextensions.v1.JSONSchemaProps.minimum",
  "apiextensions.v1.JSONSchemaProps.multipleOf",
];

/** Go `[]byte` fields: base64 strings on the wire (map values for maps). */
const BYTE_FIELDS = [
  "core.v1.Secret.data",
  "core.v1.ConfigMap.binaryData",
  "admissionregistration.v1.WebhookClientConfig.caBundle",
  "certificates.v1.CertificateSigningRequestSpec.request",
  "certificates.v1.CertificateSigningRequestStatus.certificate",
  "apiextensions.v1.WebhookClientConfig.caBundle",
];

/**
 * Strategic merge patch facts: `strategy/mergeKey` (either part may be
 * empty), from the `patchStrategy`/`patchMergeKey` struct tags.
 */
const PATCH_FACTS: Record<string, string> = {
  "core.v1.PersistentVolumeClaimStatus.conditions": "merge/type",
  "core.v1.Container.ports": "merge/containerPort",
  "core.v1.Container.env": "merge/name",
  "core.v1.Container.volumeMounts": "merge/mountPath",
  "core.v1.Container.volumeDevices": "merge/devicePath",
  "core.v1.ContainerStatus.volumeMounts": "merge/mountPath",
  "core.v1.ContainerStatus.allocatedResourcesStatus": "merge/name",
  "core.v1.EphemeralContainer.ports": "merge/containerPort",
  "core.v1.EphemeralContainer.env": "merge/name",
  "core.v1.EphemeralContainer.volumeMounts": "merge/mountPath",
  "core.v1.EphemeralContainer.volumeDevices": "merge/devicePath",
  "core.v1.PodSpec.volumes": "merge,retainKeys/name",
  "core.v1.PodSpec.initContainers": "merge/name",
  "core.v1.PodSpec.containers": "merge/name",
  "core.v1.PodSpec.ephemeralContainers": "merge/name",
  "core.v1.PodSpec.imagePullSecrets": "merge/name",
  "core.v1.PodSpec.hostAliases": "merge/ip",
  "core.v1.PodSpec.topologySpreadConstraints": "merge/topologyKey",
  "core.v1.PodSpec.schedulingGates": "merge/name",
  "core.v1.PodSpec.resourceClaims": "merge,retainKeys/name",
  "core.v1.PodStatus.conditions": "merge/type",
  "core.v1.PodStatus.hostIPs": "merge/ip",
  "core.v1.PodStatus.podIPs": "merge/ip",
  "core.v1.PodStatus.resourceClaimStatuses": "merge,retainKeys/name",
  "core.v1.ReplicationControllerStatus.conditions": "merge/type",
  "core.v1.ServiceStatus.conditions": "merge/type",
  "core.v1.ServiceSpec.ports": "merge/port",
  "core.v1.ServiceAccount.secrets": "merge/name",
  "core.v1.NodeSpec.podCIDRs": "merge/",
  "core.v1.NodeStatus.conditions": "merge/type",
  "core.v1.NodeStatus.addresses": "merge/type",
  "core.v1.NamespaceStatus.conditions": "merge/type",
  "core.v1.ComponentStatus.conditions": "merge/type",
  "apps.v1.StatefulSetStatus.conditions": "merge/type",
  "apps.v1.DeploymentSpec.strategy": "retainKeys/",
  "apps.v1.DeploymentStatus.conditions": "merge/type",
  "apps.v1.DaemonSetStatus.conditions": "merge/type",
  "apps.v1.ReplicaSetStatus.conditions": "merge/type",
  "batch.v1.JobStatus.conditions": "merge/type",
  "autoscaling.v2.HorizontalPodAutoscalerStatus.conditions": "merge/type",
  "policy.v1.PodDisruptionBudgetSpec.selector": "replace/",
  "policy.v1.PodDisruptionBudgetStatus.conditions": "merge/type",
  "admissionregistration.v1.ValidatingWebhookConfiguration.webhooks": "merge/name",
  "admissionregistration.v1.MutatingWebhookConfiguration.webhooks": "merge/name",
  "admissionregistration.v1.ValidatingWebhook.matchConditions": "merge/name",
  "admissionregistration.v1.MutatingWebhook.matchConditions": "merge/name",
  "admissionregistration.v1.ValidatingAdmissionPolicySpec.matchConditions": "merge/name",
  "admissionregistration.v1.ValidatingAdmissionPolicySpec.variables": "merge/name",
  "meta.v1.ObjectMeta.ownerReferences": "merge/uid",
  "meta.v1.ObjectMeta.finalizers": "merge/",
};

/** List types other than atomic: `set`, or `map:<key>,<key>` (x-kubernetes-list-map-keys). */
const LIST_FACTS: Record<string, string> = {
  "core.v1.PersistentVolumeClaimStatus.conditions": "map:type",
  "core.v1.ResourceRequirements.claims": "map:name",
  "core.v1.Container.ports": "map:containerPort,protocol",
  "core.v1.Container.env": "map:name",
  "core.v1.Container.volumeMounts": "map:mountPath",
  "core.v1.Container.volumeDevices": "map:devicePath",
  "core.v1.ContainerStatus.volumeMounts": "map:mountPath",
  "core.v1.ContainerStatus.allocatedResourcesStatus": "map:name",
  "core.v1.ResourceStatus.resources": "map:resourceID",
  "core.v1.EphemeralContainer.ports": "map:containerPort,protocol",
  "core.v1.EphemeralContainer.env": "map:name",
  "core.v1.EphemeralContainer.volumeMounts": "map:mountPath",
  "core.v1.EphemeralContainer.volumeDevices": "map:devicePath",
  "core.v1.PodSpec.volumes": "map:name",
  "core.v1.PodSpec.initContainers": "map:name",
  "core.v1.PodSpec.containers": "map:name",
  "core.v1.PodSpec.ephemeralContainers": "map:name",
  "core.v1.PodSpec.imagePullSecrets": "map:name",
  "core.v1.PodSpec.hostAliases": "map:ip",
  "core.v1.PodSpec.topologySpreadConstraints": "map:topologyKey,whenUnsatisfiable",
  "core.v1.PodSpec.schedulingGates": "map:name",
  "core.v1.PodSpec.resourceClaims": "map:name",
  "core.v1.PodStatus.conditions": "map:type",
  "core.v1.PodStatus.podIPs": "map:ip",
  "core.v1.PodStatus.resourceClaimStatuses": "map:name",
  "core.v1.ReplicationControllerStatus.conditions": "map:type",
  "core.v1.ServiceStatus.conditions": "map:type",
  "core.v1.ServiceSpec.ports": "map:port,protocol",
  "core.v1.ServiceAccount.secrets": "map:name",
  "core.v1.NodeSpec.podCIDRs": "set",
  "core.v1.NodeStatus.conditions": "map:type",
  "core.v1.NodeStatus.addresses": "map:type",
  "core.v1.NamespaceStatus.conditions": "map:type",
  "core.v1.ComponentStatus.conditions": "map:type",
  "apps.v1.StatefulSetStatus.conditions": "map:type",
  "apps.v1.DeploymentStatus.conditions": "map:type",
  "apps.v1.DaemonSetStatus.conditions": "map:type",
  "apps.v1.ReplicaSetStatus.conditions": "map:type",
  "batch.v1.PodFailurePolicyOnExitCodesRequirement.values": "set",
  "batch.v1.UncountedTerminatedPods.succeeded": "set",
  "batch.v1.UncountedTerminatedPods.failed": "set",
  "autoscaling.v2.HorizontalPodAutoscalerStatus.conditions": "map:type",
  "policy.v1.PodDisruptionBudgetStatus.conditions": "map:type",
  "discovery.v1.Endpoint.addresses": "set",
  "admissionregistration.v1.ValidatingWebhookConfiguration.webhooks": "map:name",
  "admissionregistration.v1.MutatingWebhookConfiguration.webhooks": "map:name",
  "admissionregistration.v1.ValidatingWebhook.matchConditions": "map:name",
  "admissionregistration.v1.MutatingWebhook.matchConditions": "map:name",
  "admissionregistration.v1.ValidatingAdmissionPolicyStatus.conditions": "map:type",
  "admissionregistration.v1.ValidatingAdmissionPolicySpec.matchConditions": "map:name",
  "admissionregistration.v1.ValidatingAdmissionPolicySpec.variables": "map:name",
  "admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec.validationActions": "set",
  "certificates.v1.CertificateSigningRequestStatus.conditions": "map:type",
  "meta.v1.ObjectMeta.ownerReferences": "map:uid",
  "meta.v1.ObjectMeta.finalizers": "set",
  "apiextensions.v1.CustomResourceDefinitionStatus.conditions": "map:type",
};

/** Maps whose type is not the default `granular` (x-kubernetes-map-type on the field). */
const MAP_TYPE_FACTS: Record<string, string> = {
  "core.v1.PodSpec.nodeSelector": "atomic",
  "core.v1.ReplicationControllerSpec.selector": "atomic",
  "core.v1.ServiceSpec.selector": "atomic",
  "core.v1.PersistentVolumeClaimStatus.allocatedResourceStatuses": "granular",
};

/** Structs replaced as a whole by server-side apply (x-kubernetes-map-type: atomic). */
const ATOMIC_STRUCTS = [
  "core.v1.SecretReference",
  "core.v1.ObjectFieldSelector",
  "core.v1.ResourceFieldSelector",
  "core.v1.ConfigMapKeySelector",
  "core.v1.SecretKeySelector",
  "core.v1.NodeSelector",
  "core.v1.NodeSelectorTerm",
  "core.v1.TopologySelectorTerm",
  "core.v1.EndpointAddress",
  "core.v1.EndpointPort",
  "core.v1.ObjectReference",
  "core.v1.LocalObjectReference",
  "core.v1.TypedLocalObjectReference",
  "core.v1.ScopeSelector",
  "autoscaling.v1.CrossVersionObjectReference",
  "discovery.v1.EndpointPort",
  "networking.v1.ServiceBackendPort",
  "rbac.v1.Subject",
  "rbac.v1.RoleRef",
  "admissionregistration.v1.ParamKind",
  "admissionregistration.v1.Variable",
  "admissionregistration.v1.ParamRef",
  "admissionregistration.v1.MatchResources",
  "admissionregistration.v1.NamedRuleWithOperations",
  "meta.v1.OwnerReference",
  "meta.v1.LabelSelector",
];

/**
 * Fields that Kubernetes v1.31/v1.32 added after the `kubernetes-types`
 * release in use: `<Type>.<field>` to a property schema. Refs name a
 * definition; new definitions are in EXTRA_DEFINITIONS.
 */
const EXTRA_FIELDS: Record<string, SchemaObject> = {
  "core.v1.ContainerStatus.allocatedResourcesStatus": {
    type: "array",
    items: { $ref: "#/definitions/io.k8s.api.core.v1.ResourceStatus" },
  },
  "core.v1.ContainerStatus.user": { $ref: "#/definitions/io.k8s.api.core.v1.ContainerUser" },
  "core.v1.NodeRuntimeHandlerFeatures.userNamespaces": { type: "boolean" },
  "core.v1.NodeStatus.features": { $ref: "#/definitions/io.k8s.api.core.v1.NodeFeatures" },
  "core.v1.PodResourceClaim.resourceClaimName": { type: "string" },
  "core.v1.PodResourceClaim.resourceClaimTemplateName": { type: "string" },
  "core.v1.PodSecurityContext.seLinuxChangePolicy": { type: "string" },
  "core.v1.PodSecurityContext.supplementalGroupsPolicy": { type: "string" },
  "core.v1.PodSpec.resources": { $ref: "#/definitions/io.k8s.api.core.v1.ResourceRequirements" },
  "core.v1.ResourceClaim.request": { type: "string" },
  "core.v1.Volume.image": { $ref: "#/definitions/io.k8s.api.core.v1.ImageVolumeSource" },
  "coordination.v1.LeaseSpec.preferredHolder": { type: "string" },
  "coordination.v1.LeaseSpec.strategy": { type: "string" },
  "admissionregistration.v1.NamedRuleWithOperations.resources": {
    type: "array",
    items: { type: "string" },
  },
  // The .d.ts files leave out JSONSchemaProps' x-kubernetes-* extensions (quoted names).
  "apiextensions.v1.JSONSchemaProps.x-kubernetes-embedded-resource": { type: "boolean" },
  "apiextensions.v1.JSONSchemaProps.x-kubernetes-int-or-string": { type: "boolean" },
  "apiextensions.v1.JSONSchemaProps.x-kubernetes-list-map-keys": {
    type: "array",
    items: { type: "string" },
  },
  "apiextensions.v1.JSONSchemaProps.x-kubernetes-list-type": { type: "string" },
  "apiextensions.v1.JSONSchemaProps.x-kubernetes-map-type": { type: "string" },
  "apiextensions.v1.JSONSchemaProps.x-kubernetes-preserve-unknown-fields": { type: "boolean" },
  "apiextensions.v1.JSONSchemaProps.x-kubernetes-validations": {
    type: "array",
    items: { type: "object" },
  },
  "admissionregistration.v1.NamedRuleWithOperations.scope": { type: "string" },
  "admissionregistration.v1.RuleWithOperations.resources": {
    type: "array",
    items: { type: "string" },
  },
  "admissionregistration.v1.RuleWithOperations.scope": { type: "string" },
  "authorization.v1.ResourceAttributes.fieldSelector": {
    $ref: "#/definitions/io.k8s.api.authorization.v1.FieldSelectorAttributes",
  },
  "authorization.v1.ResourceAttributes.labelSelector": {
    $ref: "#/definitions/io.k8s.api.authorization.v1.LabelSelectorAttributes",
  },
  "authorization.v1.ResourceRule.resources": { type: "array", items: { type: "string" } },
  "authorization.v1.ResourceRule.verbs": { type: "array", items: { type: "string" } },
  "meta.v1.DeleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential": { type: "boolean" },
};

/** Fields of EXTRA_FIELDS that are required. */
const EXTRA_REQUIRED = ["authorization.v1.ResourceRule.verbs"];

/** Fields the .d.ts files still carry that v1.32 no longer has. */
const REMOVED_FIELDS = ["core.v1.PodResourceClaim.source"];

const ref = (name: string): SchemaObject => ({ $ref: `#/definitions/${name}` });

/** Definitions the .d.ts files lack (new in v1.31/v1.32). */
const EXTRA_DEFINITIONS: Definitions = {
  "io.k8s.api.core.v1.ContainerUser": {
    type: "object",
    properties: { linux: ref("io.k8s.api.core.v1.LinuxContainerUser") },
  },
  "io.k8s.api.core.v1.LinuxContainerUser": {
    type: "object",
    properties: {
      gid: { type: "integer", format: "int64" },
      supplementalGroups: { type: "array", items: { type: "integer", format: "int64" } },
      uid: { type: "integer", format: "int64" },
    },
    required: ["uid", "gid"],
  },
  "io.k8s.api.core.v1.ResourceStatus": {
    type: "object",
    properties: {
      name: { type: "string" },
      resources: {
        type: "array",
        items: ref("io.k8s.api.core.v1.ResourceHealth"),
        "x-kubernetes-list-map-keys": ["resourceID"],
        "x-kubernetes-list-type": "map",
      },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.ResourceHealth": {
    type: "object",
    properties: { health: { type: "string" }, resourceID: { type: "string" } },
    required: ["resourceID"],
  },
  "io.k8s.api.core.v1.NodeFeatures": {
    type: "object",
    properties: { supplementalGroupsPolicy: { type: "boolean" } },
  },
  "io.k8s.api.core.v1.ImageVolumeSource": {
    type: "object",
    properties: { pullPolicy: { type: "string" }, reference: { type: "string" } },
  },
  "io.k8s.api.authorization.v1.FieldSelectorAttributes": {
    type: "object",
    properties: {
      rawSelector: { type: "string" },
      requirements: {
        type: "array",
        items: ref("io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement"),
      },
    },
  },
  "io.k8s.api.authorization.v1.LabelSelectorAttributes": {
    type: "object",
    properties: {
      rawSelector: { type: "string" },
      requirements: {
        type: "array",
        items: ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement"),
      },
    },
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement": {
    type: "object",
    properties: {
      key: { type: "string" },
      operator: { type: "string" },
      values: { type: "array", items: { type: "string" } },
    },
    required: ["key", "operator"],
  },
};

/** Our own one-line descriptions of the top-level kinds. */
const KIND_DESCRIPTIONS: Record<string, string> = {
  Namespace: "A scope for names; most objects live in exactly one namespace.",
  Pod: "A group of containers scheduled together onto one node, sharing network and volumes.",
  Service: "A stable virtual address and DNS name that load-balances over a set of pods.",
  Endpoints: "The addresses and ports that currently back a service.",
  ConfigMap: "Non-secret configuration data as key-value pairs for pods to consume.",
  Secret: "Sensitive data (passwords, tokens, keys) as key-value pairs for pods to consume.",
  ServiceAccount: "An identity for processes that run in pods.",
  Node: "A machine (physical or virtual) that runs pods.",
  Event: "A report of something that happened to an object in the cluster.",
  PersistentVolume: "A piece of storage provisioned in the cluster, independent of any pod.",
  PersistentVolumeClaim: "A request for storage that binds to a matching persistent volume.",
  ReplicationController: "Keeps a fixed number of copies of a pod template running.",
  LimitRange: "Default and bounding resource limits for objects in a namespace.",
  ResourceQuota: "Caps on the total resources objects in a namespace may consume.",
  PodTemplate: "A stored pod template that controllers can stamp pods from.",
  Binding: "Ties a pod to a node; used by schedulers.",
  ComponentStatus: "The health of a control-plane component (deprecated).",
  Deployment: "Declares the desired state of a replicated application and rolls it out gradually.",
  ReplicaSet: "Keeps a given number of pods matching a selector running.",
  StatefulSet: "Runs pods with stable identities and per-pod storage, in order.",
  DaemonSet: "Runs one copy of a pod on every (selected) node.",
  ControllerRevision: "An immutable snapshot of a workload's template, kept for rollbacks.",
  Job: "Runs pods until a given number of them complete successfully.",
  CronJob: "Creates jobs on a repeating schedule.",
  HorizontalPodAutoscaler: "Scales a workload's replica count to follow observed metrics.",
  Scale: "The replica count of a scalable resource, read and written through /scale.",
  PodDisruptionBudget: "Limits how many pods of a set voluntary disruptions may take down at once.",
  Eviction: "A request to evict a pod, honouring disruption budgets.",
  Lease: "A lightweight lock used for leader election and node heartbeats.",
  EndpointSlice: "A subset of the network endpoints behind a service.",
  Ingress: "HTTP(S) routing rules from outside the cluster to services.",
  IngressClass: "Names an ingress controller implementation and its parameters.",
  NetworkPolicy: "Allowed traffic to and from a set of pods.",
  StorageClass: "A kind of storage that volumes can be dynamically provisioned from.",
  PriorityClass: "A named scheduling priority for pods.",
  Role: "A set of permissions within one namespace.",
  RoleBinding:
    "Grants the permissions of a role to users, groups or service accounts in a namespace.",
  ClusterRole: "A set of permissions valid across the whole cluster.",
  ClusterRoleBinding: "Grants the permissions of a cluster role across the whole cluster.",
  CustomResourceDefinition: "Declares a new resource type served by the API server.",
  MutatingWebhookConfiguration:
    "Admission webhooks that may change objects before they are stored.",
  ValidatingWebhookConfiguration:
    "Admission webhooks that may reject objects before they are stored.",
  ValidatingAdmissionPolicy: "CEL rules that accept or reject requests in admission.",
  ValidatingAdmissionPolicyBinding: "Applies a validating admission policy to a set of resources.",
  CertificateSigningRequest: "A request to have a certificate signed by a named signer.",
  TokenRequest: "A request for a service account token.",
  TokenReview: "Asks the server to authenticate a bearer token.",
  SelfSubjectReview: "Asks the server who the caller is.",
  SubjectAccessReview: "Asks whether a user or group may perform an action.",
  LocalSubjectAccessReview: "Asks whether a user or group may perform an action in a namespace.",
  SelfSubjectAccessReview: "Asks whether the caller may perform an action.",
  SelfSubjectRulesReview: "Lists the actions the caller may perform in a namespace.",
  Status: "The outcome of an API call that did not return an object, such as an error.",
  DeleteOptions: "Options for deleting an object.",
  APIGroup: "The versions served for one API group.",
  APIGroupList: "The API groups the server serves.",
  APIResourceList: "The resources served in one group-version.",
  APIVersions: "The versions of the core API the server serves.",
  WatchEvent: "One change reported by a watch.",
};

/**
 * Our own words for the envelope fields of kinds (definitions with a
 * group-version-kind, and Status and the like that carry apiVersion, kind and
 * metadata). Field entries in scripts/schema-descriptions.ts win.
 */
const COMMON_FIELD_DESCRIPTIONS: Record<string, string> = {
  apiVersion: "The versioned schema of this object, such as v1 or apps/v1.",
  kind: "The type of this object, in CamelCase.",
  metadata: "Name, namespace, labels and other data every object carries.",
  spec: "The desired state.",
  status: "The most recently observed state, written by the system.",
};

/** The `metadata` description of lists, whose metadata is a ListMeta. */
const LIST_METADATA_DESCRIPTION = "The version of the list and how to fetch its next page.";

/** Longest description the description tables may hold. */
const MAX_DESCRIPTION = 120;

// ---------------------------------------------------------------------------
// Reading the .d.ts files.
// ---------------------------------------------------------------------------

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

/** Definition-name prefix for a .d.ts file: core/v1.d.ts → io.k8s.api.core.v1. */
function packageOf(file: string): string {
  const rel = relative(TYPES_DIR, file).replace(/\.d\.ts$/, "");
  switch (rel) {
    case "meta/v1":
      return META;
    case "api/resource":
      return "io.k8s.apimachinery.pkg.api.resource";
    case "runtime":
      return "io.k8s.apimachinery.pkg.runtime";
    case "version":
      return "io.k8s.apimachinery.pkg.version";
    case "apiextensions/v1":
      return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1";
    default:
      return `io.k8s.api.${rel.replace("/", ".")}`;
  }
}

/** Full definition name for a short fact-table key prefix (`core.v1.PodSpec`). */
function expandShort(short: string): string {
  if (short.startsWith("meta.")) return `io.k8s.apimachinery.pkg.apis.${short}`;
  if (short.startsWith("apiextensions.")) return `io.k8s.apiextensions-apiserver.pkg.apis.${short}`;
  return `io.k8s.api.${short}`;
}

function factTable(table: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(table)) out.set(expandShort(k), v);
  return out;
}

function factSet(list: readonly string[]): Set<string> {
  return new Set(list.map(expandShort));
}

const int64Fields = factSet(INT64_FIELDS);
const doubleFields = factSet(DOUBLE_FIELDS);
const byteFields = factSet(BYTE_FIELDS);
const patchFacts = factTable(PATCH_FACTS);
const listFacts = factTable(LIST_FACTS);
const mapTypeFacts = factTable(MAP_TYPE_FACTS);
const atomicStructs = factSet(ATOMIC_STRUCTS);
const extraFields = new Map(Object.entries(EXTRA_FIELDS).map(([k, v]) => [expandShort(k), v]));
const extraRequired = factSet(EXTRA_REQUIRED);
const removedFields = factSet(REMOVED_FIELDS);
const fieldDescriptions = factTable(FIELD_DESCRIPTIONS);
const typeDescriptions = factTable(TYPE_DESCRIPTIONS);

/** Definitions with a fixed shape instead of one read from the .d.ts files. */
const SCALARS: Definitions = {
  "io.k8s.apimachinery.pkg.api.resource.Quantity": {
    type: "string",
    description: "A fixed-point amount such as 500m, 1.5, 128Mi or 2Gi.",
  },
  [`${META}.Time`]: {
    type: "string",
    format: "date-time",
    description: "A timestamp in RFC 3339 form, to the second.",
  },
  [`${META}.MicroTime`]: {
    type: "string",
    format: "date-time",
    description: "A timestamp in RFC 3339 form, to the microsecond.",
  },
  [INT_OR_STRING]: {
    type: "string",
    format: "int-or-string",
    description: "Either an integer or a string, such as a port number or name, or a percentage.",
  },
  "io.k8s.apimachinery.pkg.runtime.RawExtension": {
    type: "object",
    description: "An embedded object of any kind.",
  },
  [`${META}.FieldsV1`]: {
    type: "object",
    description: "A set of field paths, in the structured-merge-diff trie format.",
  },
  [`${META}.Patch`]: {
    type: "object",
    description: "The body of a patch request, in the format named by the content type.",
  },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": {
    description: "Any JSON value.",
  },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray": {
    description: "A schema or an array of schemas.",
  },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool": {
    description: "A schema or a boolean.",
  },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray": {
    description: "A schema or an array of strings.",
  },
};

/** Meta types served as API responses besides the kinds' own definitions. */
const META_ROOTS = [
  "ObjectMeta",
  "ListMeta",
  "Status",
  "DeleteOptions",
  "WatchEvent",
  "APIResourceList",
  "APIGroup",
  "APIGroupList",
  "APIVersions",
  "Patch",
  "Preconditions",
];

/** Table and friends: not in the .d.ts files (nor in upstream's OpenAPI), written by hand. */
const TABLE_DEFINITIONS: Definitions = {
  [`${META}.Table`]: {
    type: "object",
    description: "Objects rendered as rows and columns for display.",
    required: ["columnDefinitions", "rows"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { $ref: `#/definitions/${META}.ListMeta` },
      columnDefinitions: {
        type: "array",
        items: { $ref: `#/definitions/${META}.TableColumnDefinition` },
      },
      rows: { type: "array", items: { $ref: `#/definitions/${META}.TableRow` } },
    },
    "x-kubernetes-group-version-kind": [{ group: "meta.k8s.io", kind: "Table", version: "v1" }],
  },
  [`${META}.TableColumnDefinition`]: {
    type: "object",
    required: ["name", "type", "format", "description", "priority"],
    properties: {
      name: { type: "string" },
      type: { type: "string" },
      format: { type: "string" },
      description: { type: "string" },
      priority: { type: "integer", format: "int32" },
    },
  },
  [`${META}.TableRow`]: {
    type: "object",
    required: ["cells"],
    properties: {
      cells: { type: "array", items: { type: "object" } },
      conditions: { type: "array", items: { $ref: `#/definitions/${META}.TableRowCondition` } },
      object: { $ref: "#/definitions/io.k8s.apimachinery.pkg.runtime.RawExtension" },
    },
  },
  [`${META}.TableRowCondition`]: {
    type: "object",
    required: ["type", "status"],
    properties: {
      type: { type: "string" },
      status: { type: "string" },
      reason: { type: "string" },
      message: { type: "string" },
    },
  },
  [`${META}.PartialObjectMetadata`]: {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { $ref: `#/definitions/${META}.ObjectMeta` },
    },
    "x-kubernetes-group-version-kind": [
      { group: "meta.k8s.io", kind: "PartialObjectMetadata", version: "v1" },
    ],
  },
  [`${META}.PartialObjectMetadataList`]: {
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { $ref: `#/definitions/${META}.ListMeta` },
      items: { type: "array", items: { $ref: `#/definitions/${META}.PartialObjectMetadata` } },
    },
    "x-kubernetes-group-version-kind": [
      { group: "meta.k8s.io", kind: "PartialObjectMetadataList", version: "v1" },
    ],
  },
};

function listDtsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listDtsFiles(p));
    else if (entry.name.endsWith(".d.ts")) out.push(p);
  }
  return out.sort();
}

interface Declared {
  readonly name: string;
  readonly node: ts.InterfaceDeclaration | ts.TypeAliasDeclaration;
}

class SchemaGenerator {
  private readonly checker: ts.TypeChecker;
  /** definition name → its declaration */
  private readonly declared = new Map<string, Declared>();
  readonly definitions: Record<string, SchemaObject> = {};
  private readonly pending: string[] = [];

  constructor(files: readonly string[]) {
    const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true });
    this.checker = program.getTypeChecker();
    for (const file of files) {
      const sf = program.getSourceFile(file);
      if (!sf) continue;
      const pkg = packageOf(file);
      for (const stmt of sf.statements) {
        if (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt)) {
          this.declared.set(`${pkg}.${stmt.name.text}`, { name: stmt.name.text, node: stmt });
        }
      }
    }
  }

  /** Interfaces of a package whose `kind` is a string literal: the package's kinds. */
  kindsOf(pkg: string): string[] {
    const out: string[] = [];
    for (const [defName, d] of this.declared) {
      if (!defName.startsWith(`${pkg}.`) || defName.slice(pkg.length + 1).includes(".")) continue;
      if (!ts.isInterfaceDeclaration(d.node)) continue;
      if (literalMember(d.node, "kind") !== undefined) out.push(defName);
    }
    return out;
  }

  require(defName: string): void {
    if (this.definitions[defName] === undefined && !this.pending.includes(defName)) {
      this.pending.push(defName);
    }
  }

  run(): void {
    for (let name = this.pending.shift(); name !== undefined; name = this.pending.shift()) {
      if (this.definitions[name] !== undefined) continue;
      this.definitions[name] = this.build(name);
    }
  }

  private build(defName: string): SchemaObject {
    const fixed = SCALARS[defName] ?? EXTRA_DEFINITIONS[defName];
    if (fixed !== undefined) {
      for (const ref of refsIn(fixed)) this.require(ref);
      return fixed;
    }
    const d = this.declared.get(defName);
    if (d === undefined) throw new Error(`no declaration for ${defName}`);
    if (!ts.isInterfaceDeclaration(d.node)) throw new Error(`unhandled type alias ${defName}`);
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    for (const member of d.node.members) {
      if (!ts.isPropertySignature(member) || member.type === undefined) continue;
      const prop = propertyName(member.name);
      const key = `${defName}.${prop}`;
      let schema = this.convert(member.type, key);
      schema = withFacts(schema, key);
      properties[prop] = schema;
      if (member.questionToken === undefined) required.push(prop);
    }
    const owner = defName.slice(defName.lastIndexOf(".") + 1);
    for (const [key, schema] of extraFields) {
      const dot = key.lastIndexOf(".");
      if (key.slice(0, dot) !== defName) continue;
      const prop = key.slice(dot + 1);
      properties[prop] = withFacts(schema, key);
      if (extraRequired.has(key)) required.push(prop);
      for (const r of refsIn(schema)) this.require(r);
    }
    for (const key of removedFields) {
      const dot = key.lastIndexOf(".");
      if (key.slice(0, dot) === defName) delete properties[key.slice(dot + 1)];
    }
    const def: SchemaObject = { type: "object" };
    const sorted = Object.fromEntries(
      Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    if (Object.keys(sorted).length > 0) def.properties = sorted;
    if (required.length > 0) def.required = required;
    const apiVersion = literalMember(d.node, "apiVersion");
    const kind = literalMember(d.node, "kind");
    if (kind !== undefined && apiVersion !== undefined) {
      const slash = apiVersion.indexOf("/");
      const group = slash < 0 ? "" : apiVersion.slice(0, slash);
      const version = apiVersion.slice(slash + 1);
      def["x-kubernetes-group-version-kind"] = [{ group, kind, version }];
      const listed = kind.endsWith("List") ? kind.slice(0, -4) : undefined;
      const description =
        KIND_DESCRIPTIONS[kind] ??
        (listed !== undefined ? `A list of ${listed} objects.` : `The ${kind} object.`);
      def.description = description;
    } else if (typeDescriptions.has(defName)) {
      def.description = typeDescriptions.get(defName);
    } else if (KIND_DESCRIPTIONS[owner] !== undefined) {
      def.description = KIND_DESCRIPTIONS[owner];
    }
    if (atomicStructs.has(defName)) def["x-kubernetes-map-type"] = "atomic";
    return def;
  }

  private convert(node: ts.TypeNode, key: string): SchemaObject {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return byteFields.has(key) ? { type: "string", format: "byte" } : { type: "string" };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: "boolean" };
      case ts.SyntaxKind.NumberKeyword:
        if (doubleFields.has(key)) return { type: "number", format: "double" };
        return { type: "integer", format: int64Fields.has(key) ? "int64" : "int32" };
      case ts.SyntaxKind.LiteralType:
        return { type: "string" };
      case ts.SyntaxKind.ArrayType:
        return { type: "array", items: this.convert((node as ts.ArrayTypeNode).elementType, key) };
      case ts.SyntaxKind.UnionType: {
        const kinds = (node as ts.UnionTypeNode).types.map((t) => t.kind).sort();
        if (
          kinds.length === 2 &&
          kinds.includes(ts.SyntaxKind.NumberKeyword) &&
          kinds.includes(ts.SyntaxKind.StringKeyword)
        ) {
          this.require(INT_OR_STRING);
          return { $ref: `#/definitions/${INT_OR_STRING}` };
        }
        throw new Error(`unhandled union at ${key}`);
      }
      case ts.SyntaxKind.TypeLiteral: {
        const lit = node as ts.TypeLiteralNode;
        const index = lit.members.find(ts.isIndexSignatureDeclaration);
        if (index === undefined || lit.members.length !== 1) {
          throw new Error(`unhandled type literal at ${key}`);
        }
        return { type: "object", additionalProperties: this.convert(index.type, key) };
      }
      case ts.SyntaxKind.TypeReference: {
        const ref = node as ts.TypeReferenceNode;
        const name = ref.typeName.getText();
        if (name === "Array") {
          const arg = ref.typeArguments?.[0];
          if (arg === undefined) throw new Error(`Array without element type at ${key}`);
          return { type: "array", items: this.convert(arg, key) };
        }
        const target = this.definitionNameOf(ref.typeName);
        this.require(target);
        return { $ref: `#/definitions/${target}` };
      }
      default:
        throw new Error(`unhandled type ${ts.SyntaxKind[node.kind]} at ${key}`);
    }
  }

  private definitionNameOf(name: ts.EntityName): string {
    let symbol = this.checker.getSymbolAtLocation(name);
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) {
      symbol = this.checker.getAliasedSymbol(symbol);
    }
    const decl = symbol?.declarations?.[0];
    if (decl === undefined) throw new Error(`cannot resolve ${name.getText()}`);
    return `${packageOf(decl.getSourceFile().fileName)}.${symbol?.name ?? ""}`;
  }
}

function propertyName(name: ts.PropertyName): string {
  if (ts.isStringLiteral(name) || ts.isIdentifier(name)) return name.text;
  return name.getText();
}

function literalMember(node: ts.InterfaceDeclaration, field: string): string | undefined {
  for (const m of node.members) {
    if (!ts.isPropertySignature(m) || propertyName(m.name) !== field) continue;
    const t = m.type;
    if (t !== undefined && ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) {
      return t.literal.text;
    }
  }
  return undefined;
}

/** Adds the list, map and patch facts known for `Type.field` to its schema. */
function withFacts(schema: SchemaObject, key: string): SchemaObject {
  const out: SchemaObject = { ...schema };
  const patch = patchFacts.get(key);
  if (patch !== undefined) {
    const [strategy = "", mergeKey = ""] = patch.split("/");
    if (mergeKey) out["x-kubernetes-patch-merge-key"] = mergeKey;
    if (strategy) out["x-kubernetes-patch-strategy"] = strategy;
  }
  const list = listFacts.get(key);
  if (list !== undefined) {
    if (list.startsWith("map:")) {
      out["x-kubernetes-list-type"] = "map";
      out["x-kubernetes-list-map-keys"] = list.slice(4).split(",");
    } else {
      out["x-kubernetes-list-type"] = list;
    }
  }
  const mapType = mapTypeFacts.get(key);
  if (mapType !== undefined) out["x-kubernetes-map-type"] = mapType;
  // A described $ref is served as `allOf: [$ref]` plus the description in v3.
  const description = fieldDescriptions.get(key);
  if (description !== undefined) out.description = description;
  return out;
}

/** Envelopes: kinds, and meta objects that carry apiVersion, kind and metadata. */
function isEnvelope(def: SchemaObject): boolean {
  if (def["x-kubernetes-group-version-kind"] !== undefined) return true;
  const p = def.properties ?? {};
  return p.apiVersion !== undefined && p.kind !== undefined && p.metadata !== undefined;
}

/** Gives the envelope fields of every envelope our common descriptions, unless described already. */
function describeEnvelopes(defs: Definitions): void {
  for (const def of Object.values(defs)) {
    if (!isEnvelope(def)) continue;
    for (const [field, schema] of Object.entries(def.properties ?? {})) {
      if (schema.description !== undefined) continue;
      const common =
        field === "metadata" && schema.$ref === `#/definitions/${META}.ListMeta`
          ? LIST_METADATA_DESCRIPTION
          : COMMON_FIELD_DESCRIPTIONS[field];
      if (common !== undefined) schema.description = common;
    }
  }
}

function refsIn(schema: SchemaObject): string[] {
  const out: string[] = [];
  const visit = (s: SchemaObject | undefined): void => {
    if (s === undefined) return;
    if (s.$ref !== undefined) out.push(s.$ref.replace("#/definitions/", ""));
    visit(s.items);
    if (typeof s.additionalProperties === "object") visit(s.additionalProperties);
    for (const p of Object.values(s.properties ?? {})) visit(p);
  };
  visit(schema);
  return out;
}

/** Fails on a fact-table entry that names no generated field: a typo or a renamed field. */
function checkFacts(defs: Definitions): void {
  const keys = [
    ...int64Fields,
    ...doubleFields,
    ...byteFields,
    ...patchFacts.keys(),
    ...listFacts.keys(),
    ...mapTypeFacts.keys(),
  ];
  for (const key of keys) {
    const dot = key.lastIndexOf(".");
    const def = defs[key.slice(0, dot)];
    if (def !== undefined && def.properties?.[key.slice(dot + 1)] === undefined) {
      throw new Error(`fact for unknown field ${key}`);
    }
  }
  for (const name of atomicStructs) {
    if (defs[name] === undefined) console.warn(`note: atomic struct ${name} is not served`);
  }
  for (const [key, text] of fieldDescriptions) {
    const dot = key.lastIndexOf(".");
    if (defs[key.slice(0, dot)]?.properties?.[key.slice(dot + 1)] === undefined) {
      throw new Error(`description for unknown or unserved field ${key}`);
    }
    checkDescription(key, text);
  }
  for (const [name, text] of typeDescriptions) {
    if (defs[name] === undefined) throw new Error(`description for unknown definition ${name}`);
    if (defs[name]?.["x-kubernetes-group-version-kind"] !== undefined) {
      throw new Error(`${name} is a kind: describe it in KIND_DESCRIPTIONS`);
    }
    checkDescription(name, text);
  }
}

function checkDescription(key: string, text: string): void {
  if (text.length > MAX_DESCRIPTION) {
    throw new Error(`description of ${key} is longer than ${MAX_DESCRIPTION} characters`);
  }
  if (!/^[A-Z0-9$(].*\.$/.test(text)) {
    throw new Error(`description of ${key} should be a sentence: capital first, full stop last`);
  }
}

function main(): void {
  const files = listDtsFiles(TYPES_DIR);
  const gen = new SchemaGenerator(files);
  const groupVersions = new Set([...BUILTIN_RESOURCES.map(apiVersionOf), ...EXTRA_GROUP_VERSIONS]);
  const gvks: Array<{ group: string; kind: string; version: string }> = [];
  for (const file of files) {
    const pkg = packageOf(file);
    if (!pkg.startsWith("io.k8s.api.") && !pkg.includes("apiextensions")) continue;
    for (const defName of gen.kindsOf(pkg)) {
      gen.require(defName);
    }
  }
  for (const name of META_ROOTS) gen.require(`${META}.${name}`);
  gen.require("io.k8s.apimachinery.pkg.version.Info");
  gen.run();

  // Keep only the kinds of served group-versions (and what they reach).
  const served = new Set<string>();
  const keep = (name: string): void => {
    if (served.has(name)) return;
    served.add(name);
    const def = gen.definitions[name];
    if (def === undefined) throw new Error(`missing definition ${name}`);
    for (const ref of refsIn(def)) keep(ref);
  };
  for (const [name, def] of Object.entries(gen.definitions)) {
    const gvk = def["x-kubernetes-group-version-kind"]?.[0];
    const isMeta = !name.startsWith("io.k8s.api.") && !name.includes("apiextensions");
    if (isMeta && !name.startsWith("io.k8s.apimachinery.pkg.apis.meta.v1")) continue;
    if (isMeta || (gvk !== undefined && groupVersions.has(apiVersionOf(gvk)))) {
      if (isMeta && !META_ROOTS.includes(name.slice(META.length + 1)) && gvk === undefined) {
        continue;
      }
      keep(name);
      if (gvk !== undefined && !isMeta) gvks.push(gvk);
    }
  }
  keep("io.k8s.apimachinery.pkg.version.Info");

  const out: Record<string, SchemaObject> = {};
  for (const name of [...served].sort()) {
    const def = gen.definitions[name];
    if (def !== undefined) out[name] = def;
  }
  Object.assign(out, TABLE_DEFINITIONS);

  // DeleteOptions and WatchEvent are registered in every served group-version.
  const everyGroupVersion = (kind: string) =>
    [...new Set(gvks.map((g) => apiVersionOf(g)))].sort().map((gv) => {
      const slash = gv.indexOf("/");
      return {
        group: slash < 0 ? "" : gv.slice(0, slash),
        kind,
        version: gv.slice(slash + 1),
      };
    });
  for (const kind of ["DeleteOptions", "WatchEvent"]) {
    const def = out[`${META}.${kind}`];
    if (def !== undefined) {
      def["x-kubernetes-group-version-kind"] = everyGroupVersion(kind);
      def.description = KIND_DESCRIPTIONS[kind] ?? kind;
    }
  }

  describeEnvelopes(out);
  checkFacts(out);
  const sortedNames = Object.keys(out).sort();
  const lines = sortedNames.map((n) => `  ${JSON.stringify(n)}: ${JSON.stringify(out[n])},`);
  const text = [
    "// Generated by scripts/gen-schema.ts from the kubernetes-types declarations and the",
    "// fact tables in that script. Do not edit by hand: change the generator and rerun",
    "// `node --import tsx scripts/gen-schema.ts`.",
    'import type { Definitions } from "./types.js";',
    "",
    "// biome-ignore format: generated data, one definition a line",
    "export const DEFINITIONS: Definitions = {",
    ...lines,
    "};",
    "",
  ].join("\n");
  writeFileSync(OUT_FILE, text);
  console.log(`wrote ${sortedNames.length} definitions to ${relative(ROOT, OUT_FILE)}`);
}

main();
