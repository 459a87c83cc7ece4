/**
 * The kubelet's view of one pod as the runtime holds it: its sandboxes and
 * containers, newest first, read back from CRI labels and annotations. The
 * pure decisions (pods/actions.ts, pods/status.ts) work on this shape only.
 */
import type { ContainerState, PodSandboxState } from "../../runtime/cri.js";

export interface RuntimeSandbox {
  readonly id: string;
  readonly attempt: number;
  readonly state: PodSandboxState;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly ip?: string;
  readonly hostNetwork: boolean;
}

export interface RuntimeContainer {
  readonly id: string;
  readonly name: string;
  readonly sandboxId: string;
  readonly state: ContainerState;
  /** ms since the epoch; 0 when not reached. */
  readonly createdAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly exitCode: number;
  readonly reason?: string;
  readonly message?: string;
  readonly image: string;
  readonly imageRef: string;
  /** Hash of the container spec it was created from. */
  readonly hash: string;
  readonly restartCount: number;
  readonly init: boolean;
  readonly logPath: string;
  /** Host file mounted at the termination message path, if any. */
  readonly terminationMessageFile?: string;
}

export interface RuntimePod {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  /** Newest first. */
  readonly sandboxes: readonly RuntimeSandbox[];
  /** Newest first. */
  readonly containers: readonly RuntimeContainer[];
}

export const emptyRuntimePod = (uid: string, name = "", namespace = ""): RuntimePod => ({
  uid,
  name,
  namespace,
  sandboxes: [],
  containers: [],
});

/** The newest container with this name. */
export function latestContainer(pod: RuntimePod, name: string): RuntimeContainer | undefined {
  return pod.containers.find((c) => c.name === name);
}

/** The newest containers of this name, newest first. */
export function containersNamed(pod: RuntimePod, name: string): RuntimeContainer[] {
  return pod.containers.filter((c) => c.name === name);
}

export function newestFirst<T extends { createdAt: number }>(items: T[]): T[] {
  return items.sort((a, b) => b.createdAt - a.createdAt);
}
