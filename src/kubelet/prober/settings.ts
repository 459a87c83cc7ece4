/** A probe's timing and thresholds with upstream's defaults applied. */
import type { Container, Probe } from "kubernetes-types/core/v1.js";
import type { ProbeKind } from "./types.js";

export interface ProbeSettings {
  periodMs: number;
  initialDelayMs: number;
  /** Seconds, possibly fractional once scaled. */
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/** The container's probe of that kind, if it has one. */
export function probeOf(container: Container, kind: ProbeKind): Probe | undefined {
  switch (kind) {
    case "liveness":
      return container.livenessProbe;
    case "readiness":
      return container.readinessProbe;
    case "startup":
      return container.startupProbe;
  }
}

/**
 * periodSeconds 10, timeoutSeconds 1, successThreshold 1 (always 1 for
 * liveness and startup, as validation demands), failureThreshold 3,
 * initialDelaySeconds 0; unset or non-positive values take the default, as
 * API defaulting does. `timeScale` multiplies every duration (tests).
 */
export function probeSettings(probe: Probe, kind: ProbeKind, timeScale = 1): ProbeSettings {
  const seconds = 1000 * timeScale;
  return {
    periodMs: positive(probe.periodSeconds, 10) * seconds,
    initialDelayMs: Math.max(0, probe.initialDelaySeconds ?? 0) * seconds,
    timeoutSeconds: positive(probe.timeoutSeconds, 1) * timeScale,
    successThreshold: kind === "readiness" ? positive(probe.successThreshold, 1) : 1,
    failureThreshold: positive(probe.failureThreshold, 3),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && value > 0 ? value : fallback;
}
