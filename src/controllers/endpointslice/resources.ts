import type { ResourceRef } from "../../client/rest/resource.js";

/** The service-networking resources these controllers read and write, by REST path. */
export const SERVICES: ResourceRef = {
  group: "",
  version: "v1",
  resource: "services",
  namespaced: true,
};
export const ENDPOINTS: ResourceRef = {
  group: "",
  version: "v1",
  resource: "endpoints",
  namespaced: true,
};
export const ENDPOINT_SLICES: ResourceRef = {
  group: "discovery.k8s.io",
  version: "v1",
  resource: "endpointslices",
  namespaced: true,
};

/** discovery.LabelServiceName: the Service a slice belongs to. */
export const LABEL_SERVICE_NAME = "kubernetes.io/service-name";
/** discovery.LabelManagedBy: which controller owns a slice. */
export const LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
/** discovery.LabelSkipMirror: Endpoints carrying it ("true") are not mirrored into slices. */
export const LABEL_SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
/** v1.IsHeadlessService: set on Endpoints and slices of services without a cluster IP. */
export const LABEL_HEADLESS = "service.kubernetes.io/headless";
/** v1.LabelTopologyZone: the node label an endpoint's zone comes from. */
export const LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone";

/** v1.EndpointsLastChangeTriggerTime. */
export const ANNOTATION_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
/** kubectl's last-applied-configuration: never mirrored into slices. */
export const ANNOTATION_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
/** resourcelock.LeaderElectionRecordAnnotationKey: Endpoints used as a lock, not a service. */
export const ANNOTATION_LEADER = "control-plane.alpha.kubernetes.io/leader";

/** The managed-by value of slices this controller writes. */
export const ENDPOINT_SLICE_CONTROLLER = "endpointslice-controller.k8s.io";
