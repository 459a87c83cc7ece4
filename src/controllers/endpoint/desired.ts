/** Whether a Service's Endpoints object needs writing, and what to write. */
import type { EndpointSubset, Endpoints, Service } from "kubernetes-types/core/v1.js";
import { sameStringMap } from "../endpointslice/desired.js";
import { isServiceIPSet } from "../endpointslice/pod-endpoints.js";
import { ANNOTATION_TRIGGER_TIME, LABEL_HEADLESS } from "../endpointslice/resources.js";
import { formatTriggerTime } from "../endpointslice/trigger-time.js";
import { subsetsEqual } from "./subsets.js";
import {
  ANNOTATION_OVER_CAPACITY,
  capacityAnnotationSetCorrectly,
  truncateSubsets,
} from "./truncate.js";

/** Upstream's LabelManagedBy (1.33+): marks Endpoints this controller made. */
export const LABEL_ENDPOINTS_MANAGED_BY = "endpoints.kubernetes.io/managed-by";
export const ENDPOINT_CONTROLLER = "endpoint-controller";

/** The service's labels, plus this controller's mark and, without a cluster IP, the headless one. */
export function endpointsLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  labels[LABEL_ENDPOINTS_MANAGED_BY] = ENDPOINT_CONTROLLER;
  if (isServiceIPSet(service)) delete labels[LABEL_HEADLESS];
  else labels[LABEL_HEADLESS] = "";
  return labels;
}

/** Made by this controller (so it may delete it when the service stops selecting pods). */
export function isManagedEndpoints(ep: Endpoints | undefined): boolean {
  return ep?.metadata?.labels?.[LABEL_ENDPOINTS_MANAGED_BY] === ENDPOINT_CONTROLLER;
}

export type EndpointsDecision =
  | { readonly kind: "none" }
  | { readonly kind: "create" | "update"; readonly endpoints: Endpoints };

/**
 * Compares what is stored with what the pods call for. Nothing is written
 * when subsets, labels and the over-capacity mark already agree (the
 * trigger time alone never causes a write); otherwise the stored object
 * (or a new one) gets the subsets, truncated past capacity, the labels,
 * and the trigger-time and over-capacity annotations set or cleared.
 */
export function decideEndpoints(
  current: Endpoints | undefined,
  want: { service: Service; subsets: EndpointSubset[]; triggerTime: number },
): EndpointsDecision {
  const labels = endpointsLabels(want.service);
  if (
    current &&
    subsetsEqual(current.subsets, want.subsets) &&
    sameStringMap(current.metadata?.labels, labels) &&
    capacityAnnotationSetCorrectly(current.metadata?.annotations, current.subsets)
  ) {
    return { kind: "none" };
  }
  const next: Endpoints = current
    ? structuredClone(current)
    : {
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: {
          name: want.service.metadata?.name ?? "",
          namespace: want.service.metadata?.namespace ?? "",
        },
      };
  const annotations = { ...(next.metadata?.annotations ?? {}) };
  if (want.triggerTime !== 0)
    annotations[ANNOTATION_TRIGGER_TIME] = formatTriggerTime(want.triggerTime);
  else delete annotations[ANNOTATION_TRIGGER_TIME];
  const { subsets, truncated } = truncateSubsets(want.subsets);
  if (truncated) annotations[ANNOTATION_OVER_CAPACITY] = "truncated";
  else delete annotations[ANNOTATION_OVER_CAPACITY];
  next.metadata = { ...next.metadata, labels, annotations };
  if (subsets.length > 0) next.subsets = subsets;
  else delete next.subsets;
  return { kind: current ? "update" : "create", endpoints: next };
}
