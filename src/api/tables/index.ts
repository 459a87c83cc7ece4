/**
 * Server-side Table printers by resource, keyed like `groupResource()`:
 * "pods", "deployments.apps", "events.events.k8s.io". Resources without a
 * printer get upstream's default NAME / CREATED AT table; custom resources
 * use `customResourcePrinter` with their CRD's printer columns.
 */
import { cronJobPrinter, jobPrinter } from "./batch.js";
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  componentStatusPrinter,
  flowSchemaPrinter,
  mutatingWebhookConfigurationPrinter,
  priorityLevelConfigurationPrinter,
  runtimeClassPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  validatingWebhookConfigurationPrinter,
} from "./cluster.js";
import {
  configMapPrinter,
  leasePrinter,
  namespacePrinter,
  priorityClassPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from "./config.js";
import { defaultPrinter } from "./default.js";
import { eventPrinter } from "./events.js";
import { nodePrinter } from "./nodes.js";
import { podPrinter, podTemplatePrinter } from "./pods.js";
import { horizontalPodAutoscalerPrinter, podDisruptionBudgetPrinter } from "./policy.js";
import { clusterRoleBindingPrinter, roleBindingPrinter } from "./rbac.js";
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressClassPrinter,
  ingressPrinter,
  networkPolicyPrinter,
  servicePrinter,
} from "./services.js";
import {
  csiDriverPrinter,
  csiNodePrinter,
  csiStorageCapacityPrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
  volumeAttributesClassPrinter,
} from "./storage.js";
import type { TablePrinter } from "./types.js";
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from "./workloads.js";

export { customResourcePrinter } from "./custom.js";
export { defaultPrinter } from "./default.js";
export { buildTable } from "./table.js";
export type { ColumnDefinition, TablePrinter, TableRowCondition } from "./types.js";

const PRINTERS: ReadonlyMap<string, TablePrinter> = new Map<string, TablePrinter>([
  // core
  ["pods", podPrinter],
  ["podtemplates", podTemplatePrinter],
  ["replicationcontrollers", replicationControllerPrinter],
  ["services", servicePrinter],
  ["endpoints", endpointsPrinter],
  ["nodes", nodePrinter],
  ["events", eventPrinter],
  ["namespaces", namespacePrinter],
  ["secrets", secretPrinter],
  ["configmaps", configMapPrinter],
  ["serviceaccounts", serviceAccountPrinter],
  ["persistentvolumes", persistentVolumePrinter],
  ["persistentvolumeclaims", persistentVolumeClaimPrinter],
  ["resourcequotas", resourceQuotaPrinter],
  ["componentstatuses", componentStatusPrinter],
  // apps, batch, autoscaling, policy
  ["deployments.apps", deploymentPrinter],
  ["replicasets.apps", replicaSetPrinter],
  ["statefulsets.apps", statefulSetPrinter],
  ["daemonsets.apps", daemonSetPrinter],
  ["controllerrevisions.apps", controllerRevisionPrinter],
  ["jobs.batch", jobPrinter],
  ["cronjobs.batch", cronJobPrinter],
  ["horizontalpodautoscalers.autoscaling", horizontalPodAutoscalerPrinter],
  ["poddisruptionbudgets.policy", podDisruptionBudgetPrinter],
  // networking, discovery, events, coordination, scheduling
  ["ingresses.networking.k8s.io", ingressPrinter],
  ["ingressclasses.networking.k8s.io", ingressClassPrinter],
  ["networkpolicies.networking.k8s.io", networkPolicyPrinter],
  ["endpointslices.discovery.k8s.io", endpointSlicePrinter],
  ["events.events.k8s.io", eventPrinter],
  ["leases.coordination.k8s.io", leasePrinter],
  ["priorityclasses.scheduling.k8s.io", priorityClassPrinter],
  // rbac (roles and cluster roles use the default table upstream too)
  ["rolebindings.rbac.authorization.k8s.io", roleBindingPrinter],
  ["clusterrolebindings.rbac.authorization.k8s.io", clusterRoleBindingPrinter],
  // storage
  ["storageclasses.storage.k8s.io", storageClassPrinter],
  ["volumeattachments.storage.k8s.io", volumeAttachmentPrinter],
  ["csidrivers.storage.k8s.io", csiDriverPrinter],
  ["csinodes.storage.k8s.io", csiNodePrinter],
  ["csistoragecapacities.storage.k8s.io", csiStorageCapacityPrinter],
  ["volumeattributesclasses.storage.k8s.io", volumeAttributesClassPrinter],
  // cluster machinery
  ["certificatesigningrequests.certificates.k8s.io", certificateSigningRequestPrinter],
  [
    "mutatingwebhookconfigurations.admissionregistration.k8s.io",
    mutatingWebhookConfigurationPrinter,
  ],
  [
    "validatingwebhookconfigurations.admissionregistration.k8s.io",
    validatingWebhookConfigurationPrinter,
  ],
  ["validatingadmissionpolicies.admissionregistration.k8s.io", validatingAdmissionPolicyPrinter],
  [
    "validatingadmissionpolicybindings.admissionregistration.k8s.io",
    validatingAdmissionPolicyBindingPrinter,
  ],
  ["flowschemas.flowcontrol.apiserver.k8s.io", flowSchemaPrinter],
  ["prioritylevelconfigurations.flowcontrol.apiserver.k8s.io", priorityLevelConfigurationPrinter],
  ["runtimeclasses.node.k8s.io", runtimeClassPrinter],
  ["apiservices.apiregistration.k8s.io", apiServicePrinter],
]);

/** The printer for a built-in resource ("pods", "deployments.apps"); the default table otherwise. */
export function tablePrinterFor(groupResource: string): TablePrinter {
  return PRINTERS.get(groupResource) ?? defaultPrinter;
}

/** Whether a resource has a printer of its own (false: it gets NAME / CREATED AT). */
export function hasTablePrinter(groupResource: string): boolean {
  return PRINTERS.has(groupResource);
}
