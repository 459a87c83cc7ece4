/** Builders for realistic Node and Pod objects in scheduler tests. */
import type { Container, Node, Pod, PodSpec, Taint } from "kubernetes-types/core/v1.js";
import type { FilterPlugin } from "../../src/scheduler/framework/interface.js";
import type { NodeInfo } from "../../src/scheduler/framework/node-info.js";
import { newCycleContext, runPreFilters } from "../../src/scheduler/framework/schedule.js";
import { createSnapshot, type Snapshot } from "../../src/scheduler/framework/snapshot.js";
import type { Status } from "../../src/scheduler/framework/status.js";

export interface NodeOptions {
  labels?: Record<string, string>;
  taints?: Taint[];
  cpu?: string;
  memory?: string;
  pods?: string;
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
  extra?: Record<string, string>;
}

export function makeNode(name: string, opts: NodeOptions = {}): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(opts.labels ?? {}) } },
    spec: {
      ...(opts.taints ? { taints: opts.taints } : {}),
      ...(opts.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      allocatable: {
        cpu: opts.cpu ?? "4",
        memory: opts.memory ?? "8Gi",
        pods: opts.pods ?? "110",
        ...(opts.extra ?? {}),
      },
      ...(opts.images ? { images: opts.images } : {}),
    },
  };
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  requests?: Record<string, string>;
  priority?: number;
  startTime?: string;
  spec?: Partial<PodSpec>;
  containers?: Container[];
}

export function makePod(name: string, opts: PodOptions = {}): Pod {
  const container: Container = {
    name: "app",
    image: "nginx:1.27",
    ...(opts.requests ? { resources: { requests: opts.requests } } : {}),
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: opts.namespace ?? "default",
      uid: `uid-${name}`,
      ...(opts.labels ? { labels: opts.labels } : {}),
    },
    spec: {
      containers: opts.containers ?? [container],
      ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
      ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
      ...(opts.spec ?? {}),
    },
    status: {
      phase: opts.nodeName ? "Running" : "Pending",
      ...(opts.startTime ? { startTime: opts.startTime } : {}),
    },
  };
}

export const CONTROL_PLANE_TAINT: Taint = {
  key: "node-role.kubernetes.io/control-plane",
  effect: "NoSchedule",
};

/** Run one filter plugin (PreFilter first) for a pod on every node; node name → status. */
export function runFilter(
  plugin: FilterPlugin,
  input: { pod: Pod; snapshot: Snapshot },
): Map<string, Status> {
  const ctx = newCycleContext(input.pod, { snapshot: input.snapshot });
  const pre = runPreFilters(ctx, [plugin]);
  const out = new Map<string, Status>();
  for (const n of input.snapshot.nodeInfos) {
    if (pre.rejection) out.set(n.name, pre.rejection);
    else if (pre.active.length === 0) out.set(n.name, { code: "Success", reasons: [] });
    else out.set(n.name, plugin.filter(ctx, n));
  }
  return out;
}

/** The names of the nodes a filter lets through. */
export function passing(statuses: Map<string, Status>): string[] {
  return [...statuses].filter(([, s]) => s.code === "Success").map(([n]) => n);
}

export function snapshotOf(nodes: Node[], pods: Pod[] = []): Snapshot {
  return createSnapshot({ nodes, pods });
}

export function nodeInfoOf(node: Node, pods: Pod[] = []): NodeInfo {
  const info = snapshotOf([node], pods).nodeInfos[0];
  if (!info) throw new Error("no node info");
  return info;
}
