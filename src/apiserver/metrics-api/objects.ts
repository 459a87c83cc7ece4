/**
 * NodeMetrics and PodMetrics objects (metrics.k8s.io/v1beta1) and their
 * lists and Tables, as metrics-server renders them: CPU in nanocores and
 * memory in bytes as canonical quantities, the window as a Go duration.
 * Pure.
 */
import { canonicalString } from "../../machinery/quantity/index.js";
import { METRICS_API_VERSION } from "./resources.js";
import type { ContainerUsage, Usage } from "./storage.js";

/** The metadata of the node or pod the metrics describe. */
export interface MetricsSubject {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface PodUsage {
  readonly timestamp: number;
  readonly windowMs: number;
  readonly containers: readonly ContainerUsage[];
}

export const cpuQuantity = (nanoCores: number): string =>
  canonicalString(BigInt(Math.max(0, Math.floor(nanoCores))), -9, "DecimalSI");

export const memoryQuantity = (bytes: number): string =>
  canonicalString(BigInt(Math.max(0, Math.floor(bytes))), 0, "BinarySI");

/** metav1.Time: RFC 3339 to the second. */
const metaTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** Go's time.Duration.String() of a whole number of milliseconds ("15.012s", "1m0s", "500ms"). */
export function goDuration(ms: number): string {
  const total = Math.round(ms);
  if (total === 0) return "0s";
  const sign = total < 0 ? "-" : "";
  const abs = Math.abs(total);
  if (abs < 1000) return `${sign}${abs}ms`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const rest = abs % 60_000;
  const fraction = String(rest % 1000)
    .padStart(3, "0")
    .replace(/0+$/, "");
  const seconds = `${Math.floor(rest / 1000)}${fraction ? `.${fraction}` : ""}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function metadata(subject: MetricsSubject, now: number): Record<string, unknown> {
  return {
    name: subject.name,
    ...(subject.namespace !== undefined ? { namespace: subject.namespace } : {}),
    creationTimestamp: metaTime(now),
    ...(subject.labels && Object.keys(subject.labels).length > 0
      ? { labels: { ...subject.labels } }
      : {}),
  };
}

const usageOf = (u: { cpuNanoCores: number; memoryBytes: number }) => ({
  cpu: cpuQuantity(u.cpuNanoCores),
  memory: memoryQuantity(u.memoryBytes),
});

export function nodeMetrics(
  subject: MetricsSubject,
  opts: { usage: Usage; now: number },
): Record<string, unknown> {
  return {
    kind: "NodeMetrics",
    apiVersion: METRICS_API_VERSION,
    metadata: metadata(subject, opts.now),
    timestamp: metaTime(opts.usage.timestamp),
    window: goDuration(opts.usage.windowMs),
    usage: usageOf(opts.usage),
  };
}

export function podMetrics(
  subject: MetricsSubject,
  opts: { usage: PodUsage; now: number },
): Record<string, unknown> {
  return {
    kind: "PodMetrics",
    apiVersion: METRICS_API_VERSION,
    metadata: metadata(subject, opts.now),
    timestamp: metaTime(opts.usage.timestamp),
    window: goDuration(opts.usage.windowMs),
    containers: opts.usage.containers.map((c) => ({ name: c.name, usage: usageOf(c) })),
  };
}

export function metricsList(kind: "NodeMetrics" | "PodMetrics", items: readonly object[]): object {
  return { kind: `${kind}List`, apiVersion: METRICS_API_VERSION, metadata: {}, items };
}

/** One Table row: the rendered object and its usage summed over containers. */
export interface MetricsRow {
  readonly object: { metadata?: unknown; window?: unknown };
  readonly name: string;
  readonly cpuNanoCores: number;
  readonly memoryBytes: number;
}

/** The usage a Table row shows: the node's, or the sum of the pod's containers. */
export function rowUsage(usage: Usage | PodUsage): { cpuNanoCores: number; memoryBytes: number } {
  if (!("containers" in usage)) return usage;
  return usage.containers.reduce(
    (sum, c) => ({
      cpuNanoCores: sum.cpuNanoCores + c.cpuNanoCores,
      memoryBytes: sum.memoryBytes + c.memoryBytes,
    }),
    { cpuNanoCores: 0, memoryBytes: 0 },
  );
}

/** meta.k8s.io Table of metrics objects: Name, CPU, Memory, Window (metrics-server's columns). */
export function metricsTable(
  rows: readonly MetricsRow[],
  opts: { version: string; includeObject: "None" | "Metadata" | "Object" },
): object {
  const column = (name: string, format = "") => ({
    name,
    type: "string",
    format,
    description: "",
    priority: 0,
  });
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: {},
    columnDefinitions: [column("Name", "name"), column("CPU"), column("Memory"), column("Window")],
    rows: rows.map((r) => {
      const row: Record<string, unknown> = {
        cells: [
          r.name,
          cpuQuantity(r.cpuNanoCores),
          memoryQuantity(r.memoryBytes),
          r.object.window ?? "",
        ],
      };
      if (opts.includeObject === "Object") row.object = r.object;
      else if (opts.includeObject === "Metadata")
        row.object = {
          kind: "PartialObjectMetadata",
          apiVersion: `meta.k8s.io/${opts.version}`,
          metadata: r.object.metadata ?? {},
        };
      return row;
    }),
  };
}
