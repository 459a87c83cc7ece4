/**
 * The objects each scheduler benchmark workload creates (pure builders).
 *
 * - basic: upstream scheduler_perf's SchedulingBasic, identical nodes
 *   (4 CPU, 32 GiB, 110 pods) and pods (100m CPU, 500 MiB).
 * - mixed: the same sizes with the placement rules of issue #7 mixed in:
 *   nodes spread over 10 zones, every 10th tainted
 *   `dedicated=infra:NoSchedule`; pods in turn require zones 0-4 by node
 *   affinity, tolerate the taint, or carry a required anti-affinity (one
 *   per node) within one of 100 groups.
 */
import type { Node, Pod } from "kubernetes-types/core/v1.js";

export const WORKLOADS = ["basic", "mixed"] as const;
export type Workload = (typeof WORKLOADS)[number];

export function parseWorkload(name: string): Workload {
  const found = WORKLOADS.find((w) => w === name);
  if (!found)
    throw new Error(`unknown workload ${JSON.stringify(name)}: use ${WORKLOADS.join(" or ")}`);
  return found;
}

const ZONE = "topology.kubernetes.io/zone";
const HOSTNAME = "kubernetes.io/hostname";
const ZONES = 10;
const ANTI_AFFINITY_GROUPS = 100;
const INFRA_TAINT = { key: "dedicated", value: "infra", effect: "NoSchedule" } as const;

export function benchNode(i: number, workload: Workload): Node {
  const name = `node-${i}`;
  const mixed = workload === "mixed";
  return {
    metadata: {
      name,
      labels: { [HOSTNAME]: name, ...(mixed ? { [ZONE]: `zone-${i % ZONES}` } : {}) },
    },
    ...(mixed && i % 10 === 0 ? { spec: { taints: [{ ...INFRA_TAINT }] } } : {}),
    status: {
      capacity: { cpu: "4", memory: "32Gi", pods: "110" },
      allocatable: { cpu: "4", memory: "32Gi", pods: "110" },
      conditions: [{ type: "Ready", status: "True" }],
    },
  } as Node;
}

/** The mixed workload's placement rule for pod i (none for basic). */
function placement(
  i: number,
  workload: Workload,
): Partial<Pod["spec"]> & { labels?: Record<string, string> } {
  if (workload === "basic") return {};
  switch (i % 3) {
    case 0: {
      const zones = Array.from({ length: ZONES / 2 }, (_, z) => `zone-${z}`);
      const term = { matchExpressions: [{ key: ZONE, operator: "In", values: zones }] };
      return {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] },
          },
        },
      };
    }
    case 1:
      return { tolerations: [{ ...INFRA_TAINT, operator: "Equal" }] };
    default: {
      const group = `anti-${i % ANTI_AFFINITY_GROUPS}`;
      return {
        labels: { group },
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { group } }, topologyKey: HOSTNAME },
            ],
          },
        },
      };
    }
  }
}

export function benchPod(i: number, workload: Workload): Pod {
  const { labels, ...rules } = placement(i, workload);
  return {
    metadata: { name: `pod-${i}`, namespace: "default", ...(labels ? { labels } : {}) },
    spec: {
      containers: [
        { name: "c", image: "busybox", resources: { requests: { cpu: "100m", memory: "500Mi" } } },
      ],
      ...rules,
    },
  } as Pod;
}
