/**
 * metrics-server's storage: the last two points of every node and
 * container, and usage computed from them — CPU as the rate of cumulative
 * CPU time between the two points, memory as the latest working set. Pure:
 * time comes only from the points.
 */
import type { MetricsBatch, MetricsPoint, PodPoints } from "./points.js";

/** Usage over a window: what NodeMetrics and PodMetrics report. */
export interface Usage {
  /** When the later point was taken (ms since the epoch). */
  readonly timestamp: number;
  /** Between the two points (ms). */
  readonly windowMs: number;
  readonly cpuNanoCores: number;
  readonly memoryBytes: number;
}

export interface ContainerUsage extends Usage {
  readonly name: string;
}

/**
 * A container that started less than one resolution before its first point
 * (but long enough ago for the rate to mean something) gets a first rate
 * from its start, when its CPU time was zero: it need not wait a scrape.
 */
const FRESH_CONTAINER_MIN_MS = 10_000;

/** CPU rate and memory between two points, or undefined when they do not belong together. */
export function usageBetween(last: MetricsPoint, prev: MetricsPoint): Usage | undefined {
  if (
    last.startTime !== undefined &&
    prev.startTime !== undefined &&
    last.startTime < prev.startTime
  )
    return undefined;
  if (last.cumulativeCpu < prev.cumulativeCpu) return undefined;
  const windowMs = last.timestamp - prev.timestamp;
  if (windowMs <= 0) return undefined;
  return {
    timestamp: last.timestamp,
    windowMs,
    cpuNanoCores: Math.floor(((last.cumulativeCpu - prev.cumulativeCpu) * 1000) / windowMs),
    memoryBytes: last.memory,
  };
}

/** The point to keep as "previous" when `next` arrives, given what was stored. */
function previousFor(
  next: MetricsPoint,
  stored: { last: MetricsPoint | undefined; prev: MetricsPoint | undefined },
): MetricsPoint | undefined {
  const { last, prev } = stored;
  if (!last) return undefined;
  if (next.timestamp > last.timestamp) return last;
  // The same point again (a kubelet that has not refreshed): keep the older one.
  if (prev && prev.timestamp < next.timestamp) return prev;
  return undefined;
}

export class MetricsStorage {
  #nodes = { last: new Map<string, MetricsPoint>(), prev: new Map<string, MetricsPoint>() };
  #pods = {
    last: new Map<string, PodPoints>(),
    prev: new Map<string, Map<string, MetricsPoint>>(),
  };

  /** @param resolutionMs how often scrapes happen (metrics-server's --metric-resolution). */
  constructor(private readonly resolutionMs: number) {}

  /** Replaces what is stored with one full scrape; whatever the scrape lacks is forgotten. */
  store(batch: MetricsBatch): void {
    const prevNodes = new Map<string, MetricsPoint>();
    for (const [name, point] of batch.nodes) {
      const p = previousFor(point, {
        last: this.#nodes.last.get(name),
        prev: this.#nodes.prev.get(name),
      });
      if (p) prevNodes.set(name, p);
    }
    this.#nodes = { last: new Map(batch.nodes), prev: prevNodes };

    const prevPods = new Map<string, Map<string, MetricsPoint>>();
    for (const [key, containers] of batch.pods) {
      const prev = this.#podPrevious(key, containers);
      if (prev.size > 0) prevPods.set(key, prev);
    }
    this.#pods = { last: new Map(batch.pods), prev: prevPods };
  }

  #podPrevious(key: string, containers: PodPoints): Map<string, MetricsPoint> {
    const out = new Map<string, MetricsPoint>();
    const lastPod = this.#pods.last.get(key);
    const prevPod = this.#pods.prev.get(key);
    for (const [name, point] of containers) {
      const age = point.startTime === undefined ? undefined : point.timestamp - point.startTime;
      if (
        age !== undefined &&
        age > 0 &&
        age < this.resolutionMs &&
        age >= FRESH_CONTAINER_MIN_MS
      ) {
        out.set(name, { ...point, timestamp: point.startTime as number, cumulativeCpu: 0 });
        continue;
      }
      const last = lastPod?.get(name);
      // A container that started after the stored point is a new one: its history does not apply.
      if (!last || (point.startTime !== undefined && point.startTime >= last.timestamp)) continue;
      const p = previousFor(point, { last, prev: prevPod?.get(name) });
      if (p) out.set(name, p);
    }
    return out;
  }

  nodeUsage(name: string): Usage | undefined {
    const last = this.#nodes.last.get(name);
    const prev = this.#nodes.prev.get(name);
    return last && prev ? usageBetween(last, prev) : undefined;
  }

  /**
   * The pod's containers' usage, or undefined unless every container has
   * two points. The pod's timestamp and window are its earliest container's.
   */
  podUsage(
    namespace: string,
    name: string,
  ): { timestamp: number; windowMs: number; containers: ContainerUsage[] } | undefined {
    const key = `${namespace}/${name}`;
    const last = this.#pods.last.get(key);
    const prev = this.#pods.prev.get(key);
    if (!last || !prev) return undefined;
    const containers: ContainerUsage[] = [];
    let earliest: Usage | undefined;
    for (const [container, point] of last) {
      const before = prev.get(container);
      if (!before) return undefined;
      const usage = usageBetween(point, before);
      // Upstream skips a container whose points disagree but still reports the pod.
      if (!usage) continue;
      containers.push({ name: container, ...usage });
      if (!earliest || usage.timestamp < earliest.timestamp) earliest = usage;
    }
    if (!earliest) return undefined;
    return { timestamp: earliest.timestamp, windowMs: earliest.windowMs, containers };
  }
}
