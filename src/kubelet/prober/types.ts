import type { Pod } from "kubernetes-types/core/v1.js";

export type ProbeKind = "liveness" | "readiness" | "startup";

/** A probe's cached verdict for one container (upstream's results.Result). */
export type ProbeResult = "success" | "failure" | "unknown";

/**
 * An event about a probe attempt, for the caller to record on the pod:
 * `Unhealthy` on every failed or errored attempt, `ProbeWarning` on an HTTP
 * probe that ended at a redirect (it still counts as a success).
 */
export interface ProbeEvent {
  pod: Pod;
  container: string;
  kind: ProbeKind;
  type: "Warning";
  reason: "Unhealthy" | "ProbeWarning";
  message: string;
}

/** What a caller reports about one of the pod's containers. */
export interface ContainerState {
  name: string;
  containerId: string;
  /** When the container started, ms since the epoch (the clock's time). */
  startedAt: number;
  running: boolean;
}

/** `Liveness`, `Readiness`, `Startup`: how upstream names the kinds in messages. */
export function kindTitle(kind: ProbeKind): string {
  return `${kind[0]?.toUpperCase() ?? ""}${kind.slice(1)}`;
}
