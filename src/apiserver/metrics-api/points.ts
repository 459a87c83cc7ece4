/**
 * What one scrape yields: metrics-server's metric points, decoded from a
 * kubelet's /stats/summary. Pure.
 *
 * The decoding follows metrics-server's rules: a node or container without
 * a CPU timestamp, cumulative CPU time or working set (or with zero for
 * either) has no point, and a pod with any such container is dropped as a
 * whole, because the HPA treats a pod without metrics differently from a
 * pod using nothing. A missing start time is tolerated (upstream drops
 * the point): a restart then shows as CPU time going backwards, which the
 * storage also rejects.
 */

export interface MetricsPoint {
  /** When the node or container started (ms since the epoch); its CPU time counts from then. */
  readonly startTime?: number;
  /** When the CPU time was read (ms since the epoch). */
  readonly timestamp: number;
  /** CPU time used since startTime, in core-nanoseconds. */
  readonly cumulativeCpu: number;
  /** Working set, in bytes. */
  readonly memory: number;
}

/** Containers of one pod by name. */
export type PodPoints = ReadonlyMap<string, MetricsPoint>;

/** One scrape of every node: node points by name, pod points by `namespace/name`. */
export interface MetricsBatch {
  readonly nodes: Map<string, MetricsPoint>;
  readonly pods: Map<string, PodPoints>;
}

interface SummaryCpu {
  time?: string;
  usageCoreNanoSeconds?: number;
}
interface SummaryMemory {
  workingSetBytes?: number;
}
interface SummaryContainer {
  name?: string;
  startTime?: string;
  cpu?: SummaryCpu;
  memory?: SummaryMemory;
}
/** The parts of stats/v1alpha1 Summary metrics-server reads. */
export interface Summary {
  node?: { nodeName?: string; startTime?: string; cpu?: SummaryCpu; memory?: SummaryMemory };
  pods?: Array<{
    podRef?: { name?: string; namespace?: string };
    containers?: SummaryContainer[];
  }>;
}

export function emptyBatch(): MetricsBatch {
  return { nodes: new Map(), pods: new Map() };
}

const time = (text: string | undefined): number | undefined => {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms <= 0 ? undefined : ms;
};

function pointOf(s: {
  cpu?: SummaryCpu | undefined;
  memory?: SummaryMemory | undefined;
  startTime?: string | undefined;
}): MetricsPoint | undefined {
  const { cpu, memory, startTime } = s;
  const timestamp = time(cpu?.time);
  const cumulativeCpu = cpu?.usageCoreNanoSeconds;
  const ws = memory?.workingSetBytes;
  if (timestamp === undefined || !cumulativeCpu || !ws) return undefined;
  const start = time(startTime);
  return {
    timestamp,
    cumulativeCpu,
    memory: ws,
    ...(start !== undefined ? { startTime: start } : {}),
  };
}

/** Adds what one kubelet's summary holds to `batch`; a summary without a node name adds nothing. */
export function addSummary(batch: MetricsBatch, summary: Summary): void {
  const nodeName = summary.node?.nodeName;
  if (!nodeName) return;
  const node = summary.node ? pointOf(summary.node) : undefined;
  if (node) batch.nodes.set(nodeName, node);
  for (const pod of summary.pods ?? []) {
    const name = pod.podRef?.name;
    const namespace = pod.podRef?.namespace;
    if (!name || !namespace) continue;
    const containers = new Map<string, MetricsPoint>();
    let complete = true;
    for (const c of pod.containers ?? []) {
      const point = c.name ? pointOf(c) : undefined;
      if (!point || !c.name) {
        complete = false;
        break;
      }
      containers.set(c.name, point);
    }
    const key = `${namespace}/${name}`;
    if (complete && !batch.pods.has(key)) batch.pods.set(key, containers);
  }
}
