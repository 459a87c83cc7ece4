import type { StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { newStatefulPod } from "../../../src/controllers/statefulset/identity.js";

export function statefulSet(
  o: {
    replicas?: number;
    parallel?: boolean;
    partition?: number;
    onDelete?: boolean;
    claims?: boolean;
    image?: string;
    retention?: { whenDeleted: string; whenScaled: string };
  } = {},
): StatefulSet {
  return {
    metadata: { name: "web", namespace: "default", uid: "set-uid", generation: 1 },
    spec: {
      replicas: o.replicas ?? 3,
      serviceName: "nginx",
      selector: { matchLabels: { app: "web" } },
      podManagementPolicy: o.parallel ? "Parallel" : "OrderedReady",
      updateStrategy: o.onDelete
        ? { type: "OnDelete" }
        : { type: "RollingUpdate", rollingUpdate: { partition: o.partition ?? 0 } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "c", image: o.image ?? "nginx:1" }] },
      },
      ...(o.claims === false
        ? {}
        : {
            volumeClaimTemplates: [
              {
                metadata: { name: "www" },
                spec: {
                  accessModes: ["ReadWriteOnce"],
                  resources: { requests: { storage: "1Gi" } },
                },
              },
            ],
          }),
      ...(o.retention ? { persistentVolumeClaimRetentionPolicy: o.retention } : {}),
    },
  };
}

/** A pod of `set` as the API server holds it: created, with a uid and a phase. */
export function statefulPod(
  set: StatefulSet,
  ordinal: number,
  o: { revision?: string; phase?: string; ready?: boolean; deleting?: boolean } = {},
): Pod {
  const pod = newStatefulPod(set, { ordinal, revision: o.revision ?? "rev-1" });
  const phase = o.phase ?? "Running";
  const ready = o.ready ?? phase === "Running";
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      uid: `pod-uid-${ordinal}`,
      ...(o.deleting ? { deletionTimestamp: "2024-01-02T00:00:00Z" } : {}),
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
