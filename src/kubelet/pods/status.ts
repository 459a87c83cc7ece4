/**
 * The Pod status the kubelet reports, computed purely from the spec, what
 * the runtime holds, the last sync's failures and the probes: container
 * statuses (state, lastState, restartCount, ready, started), phase,
 * conditions, IPs, qosClass and startTime.
 */
import type {
  Container,
  ContainerState,
  ContainerStatus,
  Pod,
  PodCondition,
  PodStatus,
} from "kubernetes-types/core/v1.js";
import { containersNamed, type RuntimeContainer, type RuntimePod } from "../cri/runtime-pod.js";
import {
  containersReadyCondition,
  initializedCondition,
  mergeConditions,
  readyCondition,
} from "./conditions.js";
import { ephemeralContainers } from "./containers.js";
import { isTerminalPhase, type Phase, podPhase } from "./phase.js";
import { podQos } from "./qos.js";

/** Why a container is not running, from the last sync (CrashLoopBackOff, ErrImagePull, ...). */
export interface WaitingReason {
  readonly reason: string;
  readonly message: string;
}

export interface StatusInputs {
  readonly pod: Pod;
  readonly runtime: RuntimePod;
  /** The status last reported (or seen in the API). */
  readonly oldStatus: PodStatus | undefined;
  /** By container name. */
  readonly waiting: ReadonlyMap<string, WaitingReason>;
  readonly ready: (containerName: string) => boolean | undefined;
  readonly started: (containerName: string) => boolean;
  readonly hostIPs: readonly string[];
  readonly now: number;
  /** The runtime's name for container IDs (`<runtime>://<id>`). */
  readonly runtimeName: string;
  /** Termination messages read from the containers' message files, by container id. */
  readonly terminationMessages?: ReadonlyMap<string, string>;
}

export const timestamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function terminatedState(c: RuntimeContainer, inputs: StatusInputs): ContainerState {
  const message = inputs.terminationMessages?.get(c.id) ?? c.message;
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? "Completed" : "Error"),
      ...(message ? { message } : {}),
      startedAt: timestamp(c.startedAt || c.createdAt),
      finishedAt: timestamp(c.finishedAt || c.startedAt || c.createdAt),
      containerID: `${inputs.runtimeName}://${c.id}`,
    },
  };
}

function stateOf(c: RuntimeContainer, inputs: StatusInputs): ContainerState {
  switch (c.state) {
    case "CONTAINER_RUNNING":
      return { running: { startedAt: timestamp(c.startedAt || c.createdAt) } };
    case "CONTAINER_EXITED":
      return terminatedState(c, inputs);
    case "CONTAINER_CREATED":
      return { waiting: { reason: "ContainerCreating" } };
    default:
      return {
        waiting: {
          reason: "ContainerStatusUnknown",
          message: "The container could not be located when the pod was terminated",
        },
      };
  }
}

type Kind = "init" | "app" | "ephemeral";

function containerStatus(
  spec: Container,
  inputs: StatusInputs,
  defaultWaiting: string,
  kind: Kind,
): ContainerStatus {
  const instances = containersNamed(inputs.runtime, spec.name);
  const latest = instances[0];
  const previous = instances[1];
  const reason = inputs.waiting.get(spec.name);
  const old = [
    ...(inputs.oldStatus?.containerStatuses ?? []),
    ...(inputs.oldStatus?.initContainerStatuses ?? []),
    ...(inputs.oldStatus?.ephemeralContainerStatuses ?? []),
  ].find((s) => s.name === spec.name);
  const base = { name: spec.name, image: spec.image ?? "" };
  if (!latest) {
    return {
      ...base,
      imageID: "",
      ready: false,
      restartCount: old?.restartCount ?? 0,
      ...(kind === "ephemeral" ? {} : { started: false }),
      state: {
        waiting: {
          reason: reason?.reason ?? defaultWaiting,
          ...(reason?.message ? { message: reason.message } : {}),
        },
      },
      ...(old?.lastState?.terminated ? { lastState: old.lastState } : { lastState: {} }),
    };
  }
  let state = stateOf(latest, inputs);
  let lastState: ContainerState =
    previous?.state === "CONTAINER_EXITED" ? terminatedState(previous, inputs) : {};
  // A dead container the kubelet could not restart yet shows why (CrashLoopBackOff, ...).
  if (latest.state === "CONTAINER_EXITED" && reason) {
    lastState = state;
    state = {
      waiting: { reason: reason.reason, ...(reason.message ? { message: reason.message } : {}) },
    };
  }
  const running = latest.state === "CONTAINER_RUNNING";
  const started = running && inputs.started(spec.name);
  const probeReady = inputs.ready(spec.name);
  const ready =
    kind === "init"
      ? latest.state === "CONTAINER_EXITED" && latest.exitCode === 0
      : kind === "app" && running && started && (probeReady ?? true);
  return {
    ...base,
    image: latest.image || spec.image || "",
    imageID: latest.imageRef,
    containerID: `${inputs.runtimeName}://${latest.id}`,
    // Ephemeral containers are never ready and have no startup state (no probes).
    ready,
    restartCount: latest.restartCount,
    ...(kind === "ephemeral" ? {} : { started }),
    state,
    lastState,
  };
}

/** Statuses for init, app and ephemeral containers. */
export function containerStatuses(inputs: StatusInputs): {
  init: ContainerStatus[];
  app: ContainerStatus[];
  ephemeral: ContainerStatus[];
} {
  const { pod } = inputs;
  const inits = pod.spec?.initContainers ?? [];
  const init = inits.map((c) => containerStatus(c, inputs, "PodInitializing", "init"));
  const initDone =
    inits.length === 0 ||
    init.every((s) => s.state?.terminated?.exitCode === 0) ||
    (pod.spec?.containers ?? []).some((c) => containersNamed(inputs.runtime, c.name).length > 0);
  const defaultWaiting = initDone ? "ContainerCreating" : "PodInitializing";
  const app = (pod.spec?.containers ?? []).map((c) =>
    containerStatus(c, inputs, defaultWaiting, "app"),
  );
  const ephemeral = ephemeralContainers(pod).map((c) =>
    containerStatus(c, inputs, defaultWaiting, "ephemeral"),
  );
  return { init, app, ephemeral };
}

export function generatePodStatus(inputs: StatusInputs): PodStatus {
  const { pod, runtime, oldStatus, now } = inputs;
  const { init, app, ephemeral } = containerStatuses(inputs);
  let phase: Phase = podPhase(pod, init, app);
  // A terminal phase is final: the kubelet never moves a pod out of it.
  if (isTerminalPhase(oldStatus?.phase)) phase = oldStatus?.phase as Phase;
  const sandbox = runtime.sandboxes[0];
  const sandboxReady = sandbox?.state === "SANDBOX_READY";
  const hostNetwork = pod.spec?.hostNetwork === true;
  const podIP = hostNetwork ? inputs.hostIPs[0] : sandboxReady ? sandbox?.ip : oldStatus?.podIP;
  const existing: PodCondition[] = oldStatus?.conditions ?? pod.status?.conditions ?? [];
  const containersReady = containersReadyCondition(pod, app, phase);
  const fresh: PodCondition[] = [
    {
      type: "PodReadyToStartContainers",
      status: sandboxReady ? "True" : "False",
    } as PodCondition,
    initializedCondition(pod, init, phase),
    readyCondition(pod, containersReady, existing),
    containersReady,
  ];
  const iso = timestamp(now);
  const startTime = oldStatus?.startTime ?? pod.status?.startTime ?? iso;
  const status: PodStatus = {
    phase,
    conditions: mergeConditions(existing, fresh, iso),
    ...(inputs.hostIPs[0]
      ? { hostIP: inputs.hostIPs[0], hostIPs: inputs.hostIPs.map((ip) => ({ ip })) }
      : {}),
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime,
    ...(init.length ? { initContainerStatuses: init } : {}),
    containerStatuses: app,
    ...(ephemeral.length ? { ephemeralContainerStatuses: ephemeral } : {}),
    qosClass: podQos(pod),
  };
  return status;
}
