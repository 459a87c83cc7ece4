/**
 * What the pod worker must do to move a pod from what the runtime holds to
 * what its spec asks: upstream's computePodActions, pure. The executor
 * (workers/pod-sync.ts) carries the plan out.
 */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { latestContainer, type RuntimeContainer, type RuntimePod } from "../cri/runtime-pod.js";
import { containerHash } from "./container-hash.js";
import { ephemeralContainers } from "./containers.js";
import {
  containerSucceeded,
  isInitContainerFailed,
  shouldContainerBeRestarted,
  shouldRestartOnFailure,
} from "./restart-policy.js";

export type KillReason = "Changed" | "LivenessProbe" | "StartupProbe" | "Unknown";

export interface ContainerToKill {
  readonly name: string;
  readonly message: string;
  readonly reason: KillReason;
}

export interface PodActions {
  /** Stop every container and the sandbox. */
  readonly killPod: boolean;
  readonly createSandbox: boolean;
  /** The ready sandbox to use when none is created. */
  readonly sandboxId: string | undefined;
  /** Attempt number of a new sandbox. */
  readonly attempt: number;
  readonly nextInitContainer: Container | undefined;
  /** App containers to start, in spec order. */
  readonly containersToStart: readonly Container[];
  /**
   * Ephemeral containers never started in this pod, started before init and
   * app containers (even during initialization) and never restarted.
   */
  readonly ephemeralContainersToStart: readonly Container[];
  readonly containersToKill: ReadonlyMap<string, ContainerToKill>;
}

/** Probe results the plan depends on, by container id. */
export interface ProbeView {
  livenessFailed(containerId: string): boolean;
  startupFailed(containerId: string): boolean;
}

const noProbes: ProbeView = { livenessFailed: () => false, startupFailed: () => false };

const isHostNetwork = (pod: Pod) => pod.spec?.hostNetwork === true;

/** Whether the pod needs a new sandbox, and which attempt that would be. */
export function sandboxChanged(
  pod: Pod,
  runtime: RuntimePod,
): { changed: boolean; attempt: number; sandboxId: string | undefined } {
  const latest = runtime.sandboxes[0];
  if (!latest) return { changed: true, attempt: 0, sandboxId: undefined };
  const ready = runtime.sandboxes.filter((s) => s.state === "SANDBOX_READY").length;
  const next = { changed: true, attempt: latest.attempt + 1, sandboxId: latest.id };
  if (ready > 1 || latest.state !== "SANDBOX_READY") return next;
  if (latest.hostNetwork !== isHostNetwork(pod)) return next;
  if (!latest.hostNetwork && !latest.ip) return next;
  return { changed: false, attempt: latest.attempt, sandboxId: latest.id };
}

/**
 * The next init container to run: `done` when every one has succeeded (or
 * an app container is already running), `failed` is the status of the
 * latest failed one.
 */
export function nextInitContainer(
  pod: Pod,
  runtime: RuntimePod,
): { failed: RuntimeContainer | undefined; next: Container | undefined; done: boolean } {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return { failed: undefined, next: undefined, done: true };
  for (const c of pod.spec?.containers ?? []) {
    if (latestContainer(runtime, c.name)?.state === "CONTAINER_RUNNING")
      return { failed: undefined, next: undefined, done: true };
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const init = inits[i] as Container;
    const status = latestContainer(runtime, init.name);
    if (status && isInitContainerFailed(status)) return { failed: status, next: init, done: false };
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const status = latestContainer(runtime, (inits[i] as Container).name);
    if (!status) continue;
    if (status.state === "CONTAINER_RUNNING" || status.state === "CONTAINER_CREATED")
      return { failed: undefined, next: undefined, done: false };
    if (status.state === "CONTAINER_EXITED") {
      if (i === inits.length - 1) return { failed: undefined, next: undefined, done: true };
      return { failed: undefined, next: inits[i + 1], done: false };
    }
  }
  return { failed: undefined, next: inits[0], done: false };
}

export function computePodActions(
  pod: Pod,
  runtime: RuntimePod,
  probes: ProbeView = noProbes,
): PodActions {
  const sandbox = sandboxChanged(pod, runtime);
  const kill = new Map<string, ContainerToKill>();
  const base = {
    killPod: sandbox.changed,
    createSandbox: sandbox.changed,
    sandboxId: sandbox.sandboxId,
    attempt: sandbox.attempt,
    nextInitContainer: undefined,
    containersToStart: [],
    ephemeralContainersToStart: [],
    containersToKill: kill,
  };
  const containers = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];

  if (sandbox.changed) {
    if (pod.metadata?.deletionTimestamp) return { ...base, createSandbox: false };
    // A pod that must not restart keeps its dead sandbox once containers have run.
    if (!shouldRestartOnFailure(pod) && sandbox.attempt !== 0 && runtime.containers.length > 0)
      return { ...base, createSandbox: false };
    const toStart = containers.filter(
      (c) => !(pod.spec?.restartPolicy === "OnFailure" && containerSucceeded(c, runtime)),
    );
    if (toStart.length === 0) return { ...base, createSandbox: false };
    if (inits.length > 0) return { ...base, nextInitContainer: inits[0] };
    return { ...base, containersToStart: toStart };
  }

  // Whatever instance the runtime holds (running or not) means it was started once.
  const ephemeral = pod.metadata?.deletionTimestamp
    ? []
    : ephemeralContainers(pod).filter((c) => !latestContainer(runtime, c.name));
  const live = { ...base, ephemeralContainersToStart: ephemeral };
  const init = nextInitContainer(pod, runtime);
  if (!init.done) {
    if (init.next) {
      if (init.failed && !shouldRestartOnFailure(pod)) return { ...base, killPod: true };
      if (init.failed?.state === "CONTAINER_UNKNOWN")
        kill.set(init.failed.id, {
          name: init.failed.name,
          message: `Init container ${init.failed.name} is in unknown state`,
          reason: "Unknown",
        });
      if (pod.metadata?.deletionTimestamp) return { ...base, killPod: true };
      return { ...live, nextInitContainer: init.next };
    }
    return live;
  }

  const toStart: Container[] = [];
  let keep = 0;
  for (const c of containers) {
    const status = latestContainer(runtime, c.name);
    if (status?.state !== "CONTAINER_RUNNING") {
      if (shouldContainerBeRestarted(c, pod, runtime)) {
        toStart.push(c);
        if (status?.state === "CONTAINER_UNKNOWN")
          kill.set(status.id, {
            name: c.name,
            message: `Container ${c.name} is in unknown state, will be restarted`,
            reason: "Unknown",
          });
      }
      continue;
    }
    if (pod.metadata?.deletionTimestamp) continue;
    let restart = shouldRestartOnFailure(pod);
    let message: string;
    let reason: KillReason;
    if (status.hash !== containerHash(c)) {
      message = `Container ${c.name} definition changed`;
      reason = "Changed";
      restart = true;
    } else if (probes.livenessFailed(status.id)) {
      message = `Container ${c.name} failed liveness probe`;
      reason = "LivenessProbe";
    } else if (probes.startupFailed(status.id)) {
      message = `Container ${c.name} failed startup probe`;
      reason = "StartupProbe";
    } else {
      keep++;
      continue;
    }
    if (restart) {
      message += ", will be restarted";
      toStart.push(c);
    }
    kill.set(status.id, { name: c.name, message, reason });
  }
  const killPod =
    (keep === 0 && toStart.length === 0) || pod.metadata?.deletionTimestamp !== undefined;
  if (killPod) return { ...base, killPod };
  return { ...live, containersToStart: toStart };
}
