/** The pod's QoS class (status.qosClass): the API's own computation, typed for the kubelet. */
import type { Pod } from "kubernetes-types/core/v1.js";
import { podQOSClass } from "../../api/defaults/pod.js";

export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

export const podQos = (pod: Pod): QosClass =>
  podQOSClass((pod.spec ?? {}) as unknown as Record<string, unknown>);
