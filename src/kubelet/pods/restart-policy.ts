/** Upstream's restart rules (pkg/kubelet/container/helpers.go), pure. */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { latestContainer, type RuntimeContainer, type RuntimePod } from "../cri/runtime-pod.js";

export const restartPolicy = (pod: Pod) => pod.spec?.restartPolicy ?? "Always";

export const shouldRestartOnFailure = (pod: Pod) => restartPolicy(pod) !== "Never";

/** Should this app container (re)start, given what the runtime holds? */
export function shouldContainerBeRestarted(
  container: Container,
  pod: Pod,
  runtime: RuntimePod,
): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const status = latestContainer(runtime, container.name);
  if (!status) return true;
  if (status.state === "CONTAINER_RUNNING") return false;
  if (status.state === "CONTAINER_UNKNOWN" || status.state === "CONTAINER_CREATED") return true;
  const policy = restartPolicy(pod);
  if (policy === "Never") return false;
  if (policy === "OnFailure" && status.exitCode === 0) return false;
  return true;
}

export function isInitContainerFailed(status: RuntimeContainer): boolean {
  if (status.state === "CONTAINER_EXITED" && status.exitCode !== 0) return true;
  if (status.state === "CONTAINER_UNKNOWN") return true;
  return false;
}

export function containerSucceeded(container: Container, runtime: RuntimePod): boolean {
  const s = latestContainer(runtime, container.name);
  return s !== undefined && s.state === "CONTAINER_EXITED" && s.exitCode === 0;
}
