/**
 * Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE
 * READINESS GATES. STATUS follows upstream's precedence: pod phase or
 * reason, SchedulingGated, then the first unfinished init container
 * (`Init:0/2`, `Init:CrashLoopBackOff`, `Init:ExitCode:1`), then the last
 * app container with a waiting or terminated reason, then Terminating /
 * Unknown for pods being deleted.
 */
import type {
  Container,
  ContainerStatus,
  Pod,
  PodCondition,
  PodTemplate,
} from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../strategy.js";
import { humanDuration, parseTime, since } from "./duration.js";
import {
  AGE_COLUMN,
  column,
  containerCells,
  formatLabels,
  NAME_COLUMN,
  nameOf,
  view,
  wide,
} from "./format.js";
import type { TablePrinter, TableRowCondition } from "./types.js";

/** Set by the node lifecycle controller on pods of an unreachable node. */
const NODE_UNREACHABLE_REASON = "NodeLost";

function isRestartable(container: Container | undefined): boolean {
  return container?.restartPolicy === "Always";
}

function conditionTrue(conditions: readonly PodCondition[], type: string): boolean {
  for (const c of conditions) {
    if (c.type === type) return c.status === "True";
  }
  return false;
}

function hasReadyCondition(conditions: readonly PodCondition[]): boolean {
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

/** Latest `lastState.terminated.finishedAt` seen so far, as epoch ms (undefined = Go's zero time). */
function laterFinish(current: number | undefined, status: ContainerStatus): number | undefined {
  const finished = parseTime(status.lastState?.terminated?.finishedAt);
  if (finished === undefined) return current;
  return current === undefined || current < finished ? finished : current;
}

interface PodSummary {
  ready: string;
  status: string;
  restarts: number;
  lastRestart: number | undefined;
}

/** READY, STATUS and RESTARTS of a pod, computed as upstream's pod printer does. */
export function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const initContainers = spec?.initContainers ?? [];
  let total = spec?.containers?.length ?? 0;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  const phase = status.phase ?? "";
  let reason = status.reason ? status.reason : phase;
  for (const c of conditions) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }

  const initByName = new Map<string, Container>();
  for (const c of initContainers) {
    initByName.set(c.name, c);
    if (isRestartable(c)) total++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (const [i, container] of initStatuses.entries()) {
    restarts += container.restartCount ?? 0;
    lastRestart = laterFinish(lastRestart, container);
    const restartable = isRestartable(initByName.get(container.name));
    if (restartable) {
      sidecarRestarts += container.restartCount ?? 0;
      lastSidecarRestart = laterFinish(lastSidecarRestart, container);
    }
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready) ready++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== "PodInitializing") {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(conditions, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      if (container === undefined) continue;
      restarts += container.restartCount ?? 0;
      lastRestart = laterFinish(lastRestart, container);
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal
          ? `Signal:${terminated.signal}`
          : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (container.ready && container.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      reason = hasReadyCondition(conditions) ? "Running" : "NotReady";
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === NODE_UNREACHABLE_REASON) reason = "Unknown";
    else if (phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";
  }

  return { ready: `${ready}/${total}`, status: reason, restarts, lastRestart };
}

function restartsCell(summary: PodSummary, now: Date): string {
  if (summary.restarts !== 0 && summary.lastRestart !== undefined) {
    return `${summary.restarts} (${humanDuration(now.getTime() - summary.lastRestart)} ago)`;
  }
  return String(summary.restarts);
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return "<none>";
  const conditions = pod.status?.conditions ?? [];
  let trueCount = 0;
  for (const gate of gates) {
    const match = conditions.find((c) => c.type === gate.conditionType);
    if (match?.status === "True") trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

function orNone(s: string | undefined): string {
  return s ? s : "<none>";
}

export const podPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", { description: "Ready containers out of all containers in the pod." }),
    column("Status", { description: "Overall state of the pod, derived from its containers." }),
    column("Restarts", {
      description: "Container restarts in the pod, with the time since the latest one.",
    }),
    AGE_COLUMN,
    wide("IP", "The pod's first IP address."),
    wide("Node", "The node the pod is bound to."),
    wide("Nominated Node", "The node preemption nominated for this pod, if any."),
    wide("Readiness Gates", "Readiness gates whose condition is True, out of all gates."),
  ],
  row(obj: KubeObject, now: Date): unknown[] {
    const pod = view<Pod>(obj);
    const summary = summarizePod(pod);
    const podIP = pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP;
    return [
      nameOf(obj),
      summary.ready,
      summary.status,
      restartsCell(summary, now),
      since(obj.metadata?.creationTimestamp, now),
      orNone(podIP),
      orNone(pod.spec?.nodeName),
      orNone(pod.status?.nominatedNodeName),
      readinessGates(pod),
    ];
  },
  conditions(obj: KubeObject): TableRowCondition[] | undefined {
    const phase = view<Pod>(obj).status?.phase;
    if (phase === "Succeeded") {
      return [
        {
          type: "Completed",
          status: "True",
          reason: "Succeeded",
          message: "The pod has completed successfully.",
        },
      ];
    }
    if (phase === "Failed") {
      return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
    }
    return undefined;
  },
};

export const podTemplatePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Containers", { description: "Names of the containers in the template." }),
    column("Images", { description: "Images of the containers in the template." }),
    column("Pod Labels", { description: "Labels the template gives its pods." }),
  ],
  row(obj: KubeObject): unknown[] {
    const template = view<PodTemplate>(obj).template;
    const { names, images } = containerCells(template?.spec?.containers);
    return [nameOf(obj), names, images, formatLabels(template?.metadata?.labels)];
  },
};
