/**
 * The labels and annotations the kubelet puts on CRI sandboxes and
 * containers, with upstream's keys, so the runtime's own records say which
 * pod and container spec each one belongs to. A restarted kubelet rebuilds
 * its view of every pod from these alone.
 */
import type { Container, PodSandbox } from "../../runtime/cri.js";

export const POD_NAME = "io.kubernetes.pod.name";
export const POD_NAMESPACE = "io.kubernetes.pod.namespace";
export const POD_UID = "io.kubernetes.pod.uid";
export const CONTAINER_NAME = "io.kubernetes.container.name";
/** Marks k8ts-kubelet-managed objects (upstream: io.kubernetes.container.name=POD on sandboxes). */
export const MANAGED = "io.kubernetes.managed-by";
export const MANAGER = "k8ts-kubelet";

export const CONTAINER_HASH = "io.kubernetes.container.hash";
export const RESTART_COUNT = "io.kubernetes.container.restartCount";
export const TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
export const TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
export const GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
export const INIT_CONTAINER = "io.kubernetes.container.init";

export interface PodRef {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

export function sandboxLabels(pod: PodRef, podLabels: Record<string, string> = {}) {
  return {
    ...podLabels,
    [POD_NAME]: pod.name,
    [POD_NAMESPACE]: pod.namespace,
    [POD_UID]: pod.uid,
    [MANAGED]: MANAGER,
  };
}

export function containerLabels(pod: PodRef, containerName: string) {
  return {
    [POD_NAME]: pod.name,
    [POD_NAMESPACE]: pod.namespace,
    [POD_UID]: pod.uid,
    [CONTAINER_NAME]: containerName,
    [MANAGED]: MANAGER,
  };
}

/** The pod a runtime object belongs to, or undefined when the kubelet did not make it. */
export function podRefOf(obj: Pick<PodSandbox | Container, "labels">): PodRef | undefined {
  const l = obj.labels ?? {};
  if (l[MANAGED] !== MANAGER) return undefined;
  const uid = l[POD_UID];
  const name = l[POD_NAME];
  const namespace = l[POD_NAMESPACE];
  if (!uid || !name || namespace === undefined) return undefined;
  return { uid, name, namespace };
}
