import type { Pod, Service } from "kubernetes-types/core/v1.js";
import { podCondition } from "../common/pod-state.js";

interface ServiceState {
  serviceTime: number;
  podTimes: Map<string, number>;
}

function parse(time: string | undefined): number {
  const t = time ? Date.parse(time) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Computes the `endpoints.kubernetes.io/last-change-trigger-time`
 * annotation (upstream's TriggerTimeTracker): the earliest of the trigger
 * times (a pod's Ready transition, the service's creation) that changed
 * since the previous sync of the service. A service seen for the first
 * time reports its creation. 0 means "no new trigger: drop the annotation".
 * Callers never compute the same service concurrently (the work queue sees
 * to that).
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  compute(key: string, input: { service: Service; pods: readonly Pod[] }): number {
    const previous = this.states.get(key);
    let min = 0;
    const earliest = (t: number) => {
      if (min === 0 || t < min) min = t;
    };
    const podTimes = new Map<string, number>();
    for (const pod of input.pods) {
      const t = parse(podCondition(pod, "Ready")?.lastTransitionTime);
      if (t === 0) continue;
      const name = pod.metadata?.name ?? "";
      podTimes.set(name, t);
      if (t > (previous?.podTimes.get(name) ?? 0)) earliest(t);
    }
    const serviceTime = parse(input.service.metadata?.creationTimestamp);
    if (serviceTime > (previous?.serviceTime ?? 0)) earliest(serviceTime);
    this.states.set(key, { serviceTime, podTimes });
    return previous === undefined ? serviceTime : min;
  }

  deleteService(key: string): void {
    this.states.delete(key);
  }
}

/** Go's RFC3339Nano in UTC: fractional seconds only when non-zero, trailing zeros trimmed. */
export function formatTriggerTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac === "" ? "Z" : `.${frac}Z`));
}
