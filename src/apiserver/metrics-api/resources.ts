/**
 * metrics.k8s.io/v1beta1 as discovery lists it (what metrics-server
 * registers): read-only NodeMetrics and PodMetrics. They are served from
 * memory, not the store, so they only join discovery, never OpenAPI or
 * the generic handler.
 */
import type { ResourceDescriptor } from "../../api/resources.js";

export const METRICS_GROUP = "metrics.k8s.io";
export const METRICS_VERSION = "v1beta1";
export const METRICS_API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

const metricsResource = ({
  kind,
  plural,
  namespaced,
}: {
  kind: string;
  plural: string;
  namespaced: boolean;
}): ResourceDescriptor => ({
  group: METRICS_GROUP,
  version: METRICS_VERSION,
  kind,
  plural,
  singular: "",
  shortNames: [],
  categories: [],
  namespaced,
  verbs: ["get", "list"],
  subresources: [],
});

export const METRICS_RESOURCES: readonly ResourceDescriptor[] = [
  metricsResource({ kind: "NodeMetrics", plural: "nodes", namespaced: false }),
  metricsResource({ kind: "PodMetrics", plural: "pods", namespaced: true }),
];
