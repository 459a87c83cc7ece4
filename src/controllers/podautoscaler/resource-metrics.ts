/**
 * Reading metrics.k8s.io PodMetrics into per-pod values (upstream's
 * resource metrics client), pure: a pod's value is the sum over its
 * containers (or one named container), in milli-units.
 */
import { parseQuantity } from "../../machinery/quantity/index.js";
import { type PodMetricsInfo, ReplicaCalculationError } from "./replica-calculator.js";

/** metrics.k8s.io/v1beta1 PodMetrics, as the API serves it. */
export interface PodMetrics {
  metadata?: { name?: string; namespace?: string };
  timestamp?: string;
  window?: string;
  containers?: Array<{ name: string; usage?: Record<string, string> }>;
}

export interface PodMetricsList {
  items?: PodMetrics[];
}

/** Go's time.Duration text ("15s", "1m0.5s", "500ms") in ms; NaN when unreadable. */
export function parseGoDuration(text: string | undefined): number {
  if (!text) return Number.NaN;
  const unit: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 1e-3,
    µs: 1e-3,
    ns: 1e-6,
  };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/.exec(rest);
    if (!m) return Number.NaN;
    total += Number(m[1]) * (unit[m[2] as string] ?? Number.NaN);
    rest = rest.slice(m[0].length);
  }
  return total;
}

function metricOf(m: PodMetrics, value: number) {
  return {
    value,
    timestamp: m.timestamp ? Date.parse(m.timestamp) : 0,
    windowMs: parseGoDuration(m.window) || 0,
  };
}

/**
 * Each pod's usage of `resource`. A pod missing the resource in any
 * container is left out; with `container`, only that container counts and
 * a pod without it is an error, as upstream.
 */
export function podMetricsInfo(
  list: PodMetricsList,
  target: { resource: string; container?: string },
): PodMetricsInfo {
  const items = list.items ?? [];
  if (items.length === 0)
    throw new ReplicaCalculationError("no metrics returned from resource metrics API");
  const out: PodMetricsInfo = new Map();
  for (const m of items) {
    const name = m.metadata?.name ?? "";
    const containers = m.containers ?? [];
    if (target.container) {
      const c = containers.find((x) => x.name === target.container);
      if (!c)
        throw new ReplicaCalculationError(
          `container ${target.container} not present in metrics for pod ${m.metadata?.namespace ?? ""}/${name}`,
        );
      const q = c.usage?.[target.resource];
      if (q !== undefined) out.set(name, metricOf(m, parseQuantity(q).milliValue()));
      continue;
    }
    let sum = 0;
    let missing = containers.length === 0;
    for (const c of containers) {
      const q = c.usage?.[target.resource];
      if (q === undefined) {
        missing = true;
        break;
      }
      sum += parseQuantity(q).milliValue();
    }
    if (!missing) out.set(name, metricOf(m, sum));
  }
  return out;
}
