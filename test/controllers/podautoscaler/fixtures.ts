// Pods and metrics for the HPA's pure tests.
import type { Pod } from "kubernetes-types/core/v1.js";
import type {
  PodMetric,
  PodMetricsInfo,
} from "../../../src/controllers/podautoscaler/replica-calculator.js";

export const NOW = Date.parse("2026-03-01T12:00:00Z");
export const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

export interface PodSpec {
  readonly phase?: "Pending" | "Running" | "Failed" | "Succeeded";
  /** Ready condition status; "none" leaves the condition out. */
  readonly ready?: "True" | "False" | "none";
  /** ms before NOW the pod started (default 10 min: past CPU initialization). */
  readonly startedAgo?: number;
  /** ms before NOW the Ready condition last changed (default: when the pod started). */
  readonly transitionAgo?: number;
  readonly deleted?: boolean;
  /** Requests per container, e.g. { cpu: "1" }; one container unless `containers` says more. */
  readonly requests?: Record<string, string>;
  readonly containers?: number;
  readonly labels?: Record<string, string>;
}

export function pod(name: string, s: PodSpec = {}): Pod {
  const started = NOW - (s.startedAgo ?? 10 * MIN);
  const ready = s.ready ?? "True";
  return {
    metadata: {
      name,
      namespace: "default",
      labels: s.labels ?? { app: "web" },
      ...(s.deleted ? { deletionTimestamp: iso(NOW) } : {}),
    },
    spec: {
      containers: Array.from({ length: s.containers ?? 1 }, (_, i) => ({
        name: `c${i}`,
        image: "nginx",
        resources: { requests: s.requests ?? { cpu: "1" } },
      })),
    },
    status: {
      phase: s.phase ?? "Running",
      startTime: iso(started),
      conditions:
        ready === "none"
          ? []
          : [
              {
                type: "Ready",
                status: ready,
                lastTransitionTime: iso(NOW - (s.transitionAgo ?? s.startedAgo ?? 10 * MIN)),
              },
            ],
    },
  };
}

/** Metrics by pod name, measured just now over 15 s. */
export function metrics(values: Record<string, number>): PodMetricsInfo {
  return new Map(
    Object.entries(values).map(([k, value]): [string, PodMetric] => [
      k,
      { value, timestamp: NOW, windowMs: 15_000 },
    ]),
  );
}

/** `count` pods named p0.. with the same spec. */
export function pods(count: number, s: PodSpec = {}): Pod[] {
  return Array.from({ length: count }, (_, i) => pod(`p${i}`, s));
}
