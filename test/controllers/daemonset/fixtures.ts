import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import type { Node, Pod, PodSpec, Taint } from "kubernetes-types/core/v1.js";
import { CONTROLLER_REVISION_HASH_LABEL } from "../../../src/controllers/history/revision.js";

export function node(
  name: string,
  o: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean } = {},
): Node {
  return {
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(o.labels ?? {}) } },
    spec: {
      ...(o.taints ? { taints: o.taints } : {}),
      ...(o.unschedulable ? { unschedulable: true } : {}),
    },
  };
}

export function daemonSet(
  o: {
    spec?: Partial<PodSpec>;
    maxSurge?: number | string;
    maxUnavailable?: number | string;
    onDelete?: boolean;
    minReadySeconds?: number;
  } = {},
): DaemonSet {
  return {
    metadata: { name: "ds", namespace: "default", uid: "ds-uid", generation: 1 },
    spec: {
      selector: { matchLabels: { app: "ds" } },
      template: {
        metadata: { labels: { app: "ds" } },
        spec: { containers: [{ name: "c", image: "img" }], ...(o.spec ?? {}) },
      },
      ...(o.minReadySeconds ? { minReadySeconds: o.minReadySeconds } : {}),
      updateStrategy: o.onDelete
        ? { type: "OnDelete" }
        : {
            type: "RollingUpdate",
            rollingUpdate: {
              maxUnavailable: o.maxUnavailable ?? 1,
              maxSurge: o.maxSurge ?? 0,
            },
          },
    },
  };
}

let seq = 0;

/** A daemon pod for `nodeName`: bound unless `bound: false`, at revision `hash`. */
export function daemonPod(
  nodeName: string,
  o: {
    hash?: string;
    phase?: string;
    ready?: boolean;
    bound?: boolean;
    deleting?: boolean;
    created?: string;
    name?: string;
  } = {},
): Pod {
  seq++;
  const phase = o.phase ?? "Running";
  const ready = o.ready ?? phase === "Running";
  return {
    metadata: {
      name: o.name ?? `ds-${seq}`,
      namespace: "default",
      uid: `pod-${seq}`,
      labels: { app: "ds", [CONTROLLER_REVISION_HASH_LABEL]: o.hash ?? "new" },
      creationTimestamp: o.created ?? `2024-01-01T00:00:${String(seq % 60).padStart(2, "0")}Z`,
      ...(o.deleting ? { deletionTimestamp: "2024-01-02T00:00:00Z" } : {}),
    },
    spec: {
      containers: [{ name: "c", image: "img" }],
      ...(o.bound === false ? {} : { nodeName }),
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] },
            ],
          },
        },
      },
    },
    status: {
      phase,
      conditions: [
        {
          type: "Ready",
          status: ready ? "True" : "False",
          lastTransitionTime: "2024-01-01T00:00:00Z",
        },
      ],
    },
  };
}
