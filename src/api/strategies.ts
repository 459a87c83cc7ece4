/**
 * The per-kind strategy of every built-in resource: name rule, defaults,
 * validation and selectable fields, assembled from src/api/defaults and
 * src/api/validation. Unknown kinds (custom resources) get the empty
 * strategy: generic metadata checks only.
 */
import * as apiext from "./defaults/apiextensions.js";
import * as apps from "./defaults/apps.js";
import * as batch from "./defaults/batch.js";
import * as core from "./defaults/core.js";
import * as misc from "./defaults/misc.js";
import { defaultPod, podQOSClass } from "./defaults/pod.js";
import { defaultService, preserveAllocatedServiceFields } from "./defaults/service.js";
import * as storage from "./defaults/storage.js";
import type { KindStrategy, KubeObject } from "./strategy.js";
import * as va from "./validation/apps.js";
import * as vb from "./validation/batch.js";
import * as vcfg from "./validation/config.js";
import * as vc from "./validation/core.js";
import * as vcrd from "./validation/crd.js";
import { validateEphemeralContainersUpdate } from "./validation/ephemeral-containers.js";
import * as fields from "./validation/fields.js";
import * as vm from "./validation/misc.js";
import * as vn from "./validation/networking.js";
import * as vp from "./validation/pod.js";
import * as vr from "./validation/rbac.js";
import * as vsvc from "./validation/service.js";
import type { Obj } from "./validation/shape.js";
import * as vs from "./validation/storage.js";

type Defaulter = (o: Obj) => void;
const d = (f: Defaulter) => (o: KubeObject) => f(o as Obj);

const STRATEGIES: Record<string, KindStrategy> = {
  // core/v1
  "/v1/Namespace": {
    nameRule: "label",
    default: d(core.defaultNamespace),
    validate: vc.validateNamespace,
    selectableFields: fields.namespaceFields,
  },
  "/v1/Pod": {
    default: d(defaultPod),
    prepareForCreate: (pod) => {
      const spec = (pod.spec ?? {}) as Obj;
      pod.status = {
        ...((pod.status as Obj | undefined) ?? {}),
        phase: "Pending",
        qosClass: podQOSClass(spec),
      };
    },
    validate: vp.validatePod,
    validateUpdate: vp.validatePodUpdate,
    validateStatusUpdate: vp.validatePodStatusUpdate,
    validateEphemeralContainersUpdate: validateEphemeralContainersUpdate,
    selectableFields: fields.podFields,
  },
  "/v1/Service": {
    nameRule: "dns1035-label",
    prepareForUpdate: (obj, old) => preserveAllocatedServiceFields(obj as Obj, old as Obj),
    default: d(defaultService),
    validate: vsvc.validateService,
    validateUpdate: vsvc.validateServiceUpdate,
    validateStatusUpdate: vsvc.validateServiceStatusUpdate,
    selectableFields: fields.serviceFields,
  },
  "/v1/Endpoints": { default: d(core.defaultEndpoints), validate: vc.validateEndpoints },
  "/v1/ConfigMap": {
    validate: vcfg.validateConfigMap,
    validateUpdate: vcfg.validateConfigMapUpdate,
  },
  "/v1/Secret": {
    default: d(core.defaultSecret),
    validate: vcfg.validateSecret,
    validateUpdate: vcfg.validateSecretUpdate,
    selectableFields: fields.secretFields,
  },
  "/v1/ServiceAccount": {},
  "/v1/Node": {
    default: d(core.defaultNode),
    validate: vc.validateNode,
    validateUpdate: vc.validateNodeUpdate,
    validateStatusUpdate: vc.validateNode,
    selectableFields: fields.nodeFields,
  },
  "/v1/Event": { validate: vc.validateEvent, selectableFields: fields.coreEventFields },
  "/v1/PersistentVolume": {
    default: d(storage.defaultPersistentVolume),
    validate: vs.validatePersistentVolume,
    validateUpdate: vs.validatePersistentVolumeUpdate,
  },
  "/v1/PersistentVolumeClaim": {
    default: d(storage.defaultPersistentVolumeClaim),
    validate: vs.validatePersistentVolumeClaim,
    validateUpdate: vs.validatePersistentVolumeClaimUpdate,
  },
  "/v1/ReplicationController": {
    default: d(core.defaultReplicationController),
    validate: vc.validateReplicationController,
    selectableFields: fields.replicasFields,
  },
  "/v1/LimitRange": { default: d(core.defaultLimitRange), validate: vc.validateLimitRange },
  "/v1/ResourceQuota": { validate: vc.validateResourceQuota },
  "/v1/PodTemplate": { default: d(core.defaultPodTemplate), validate: vc.validatePodTemplate },
  // apps/v1
  "apps/v1/Deployment": {
    default: d(apps.defaultDeployment),
    validate: va.validateDeployment,
    validateUpdate: va.validateDeploymentUpdate,
    validateStatusUpdate: va.validateDeploymentStatusUpdate,
  },
  "apps/v1/ReplicaSet": {
    default: d(apps.defaultReplicaSet),
    validate: va.validateReplicaSet,
    validateUpdate: va.validateReplicaSetUpdate,
    validateStatusUpdate: va.validateReplicaSetStatusUpdate,
    selectableFields: fields.replicasFields,
  },
  "apps/v1/StatefulSet": {
    default: d(apps.defaultStatefulSet),
    validate: va.validateStatefulSet,
    validateUpdate: va.validateStatefulSetUpdate,
    validateStatusUpdate: va.validateStatefulSetStatusUpdate,
  },
  "apps/v1/DaemonSet": {
    default: d(apps.defaultDaemonSet),
    validate: va.validateDaemonSet,
    validateUpdate: va.validateDaemonSetUpdate,
    validateStatusUpdate: va.validateDaemonSetStatusUpdate,
  },
  "apps/v1/ControllerRevision": {
    validate: va.validateControllerRevision,
    validateUpdate: va.validateControllerRevisionUpdate,
  },
  // batch/v1
  "batch/v1/Job": {
    default: d(batch.defaultJob),
    validate: vb.validateJob,
    validateUpdate: vb.validateJobUpdate,
    validateStatusUpdate: vb.validateJobStatusUpdate,
    selectableFields: fields.jobFields,
  },
  "batch/v1/CronJob": { default: d(batch.defaultCronJob), validate: vb.validateCronJob },
  // autoscaling
  "autoscaling/v2/HorizontalPodAutoscaler": {
    default: d(misc.defaultHorizontalPodAutoscalerV2),
    validate: vm.validateHorizontalPodAutoscaler,
  },
  "autoscaling/v1/HorizontalPodAutoscaler": {
    default: d(misc.defaultHorizontalPodAutoscalerV1),
    validate: vm.validateHorizontalPodAutoscaler,
  },
  "policy/v1/PodDisruptionBudget": { validate: vm.validatePodDisruptionBudget },
  "coordination.k8s.io/v1/Lease": { validate: vm.validateLease },
  "discovery.k8s.io/v1/EndpointSlice": {
    default: d(misc.defaultEndpointSlice),
    validate: vm.validateEndpointSlice,
    validateUpdate: vm.validateEndpointSliceUpdate,
  },
  "events.k8s.io/v1/Event": { selectableFields: fields.eventsV1Fields },
  "networking.k8s.io/v1/Ingress": { validate: vn.validateIngress },
  "networking.k8s.io/v1/IngressClass": {
    validate: vn.validateIngressClass,
    validateUpdate: vn.validateIngressClassUpdate,
  },
  "networking.k8s.io/v1/NetworkPolicy": {
    default: d(misc.defaultNetworkPolicy),
    validate: vn.validateNetworkPolicy,
  },
  "storage.k8s.io/v1/StorageClass": {
    default: d(storage.defaultStorageClass),
    validate: vs.validateStorageClass,
    validateUpdate: vs.validateStorageClassUpdate,
  },
  "scheduling.k8s.io/v1/PriorityClass": {
    default: d(misc.defaultPriorityClass),
    validate: vm.validatePriorityClass,
    validateUpdate: vm.validatePriorityClassUpdate,
  },
  "apiextensions.k8s.io/v1/CustomResourceDefinition": {
    default: d(apiext.defaultCustomResourceDefinition),
    prepareForCreate: (crd) => apiext.prepareCustomResourceDefinitionForCreate(crd as Obj),
    prepareForUpdate: (crd, old) =>
      apiext.prepareCustomResourceDefinitionForUpdate(crd as Obj, old as Obj),
    validate: vcrd.validateCustomResourceDefinition,
    validateUpdate: vcrd.validateCustomResourceDefinitionUpdate,
    validateStatusUpdate: vcrd.validateCustomResourceDefinitionStatusUpdate,
  },
  "rbac.authorization.k8s.io/v1/Role": { nameRule: "path-segment", validate: vr.validateRole },
  "rbac.authorization.k8s.io/v1/ClusterRole": {
    nameRule: "path-segment",
    validate: vr.validateClusterRole,
  },
  "rbac.authorization.k8s.io/v1/RoleBinding": {
    nameRule: "path-segment",
    default: d(misc.defaultBinding),
    validate: vr.validateRoleBinding,
    validateUpdate: vr.validateRoleRefUnchanged,
  },
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": {
    nameRule: "path-segment",
    default: d(misc.defaultBinding),
    validate: vr.validateClusterRoleBinding,
    validateUpdate: vr.validateRoleRefUnchanged,
  },
};

const EMPTY: KindStrategy = {};

/** The strategy for a kind; custom resources and unknown kinds get the empty one. */
export function strategyFor(group: string, version: string, kind: string): KindStrategy {
  return STRATEGIES[`${group}/${version}/${kind}`] ?? EMPTY;
}
