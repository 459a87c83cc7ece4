import type { Node, PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import type { ClaimWorld } from "../../../src/controllers/persistentvolume/claim-sync.js";

export function pv(
  name: string,
  o: {
    size?: string;
    modes?: string[];
    cls?: string;
    phase?: string;
    labels?: Record<string, string>;
    claimRef?: { namespace: string; name: string; uid?: string };
    annotations?: Record<string, string>;
    hostname?: string;
    mode?: string;
    reclaim?: string;
  } = {},
): PersistentVolume {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: "1",
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      capacity: { storage: o.size ?? "1Gi" },
      accessModes: o.modes ?? ["ReadWriteOnce"],
      hostPath: { path: `/data/${name}` },
      persistentVolumeReclaimPolicy: o.reclaim ?? "Retain",
      ...(o.cls !== undefined ? { storageClassName: o.cls } : {}),
      ...(o.mode ? { volumeMode: o.mode } : {}),
      ...(o.claimRef ? { claimRef: o.claimRef } : {}),
      ...(o.hostname
        ? {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: "kubernetes.io/hostname", operator: "In", values: [o.hostname] },
                    ],
                  },
                ],
              },
            },
          }
        : {}),
    },
    status: { phase: o.phase ?? "Available" },
  };
}

export function pvc(
  name: string,
  o: {
    size?: string;
    modes?: string[];
    cls?: string;
    volumeName?: string;
    annotations?: Record<string, string>;
    selector?: Record<string, string>;
    mode?: string;
    phase?: string;
  } = {},
): PersistentVolumeClaim {
  return {
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      resourceVersion: "1",
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      accessModes: o.modes ?? ["ReadWriteOnce"],
      resources: { requests: { storage: o.size ?? "1Gi" } },
      ...(o.cls !== undefined ? { storageClassName: o.cls } : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
      ...(o.selector ? { selector: { matchLabels: o.selector } } : {}),
      ...(o.mode ? { volumeMode: o.mode } : {}),
    },
    status: { phase: o.phase ?? "Pending" },
  };
}

export function storageClass(
  name: string,
  o: { provisioner?: string; wffc?: boolean; reclaim?: string } = {},
): StorageClass {
  return {
    metadata: { name },
    provisioner: o.provisioner ?? "example.com/disk",
    reclaimPolicy: o.reclaim ?? "Delete",
    volumeBindingMode: o.wffc ? "WaitForFirstConsumer" : "Immediate",
  };
}

export function node(name: string, hostname = name): Node {
  return { metadata: { name, labels: { "kubernetes.io/hostname": hostname } } };
}

export function world(o: {
  volumes?: PersistentVolume[];
  classes?: StorageClass[];
  nodes?: Node[];
}): ClaimWorld {
  const volumes = o.volumes ?? [];
  return {
    volume: (name) => volumes.find((v) => v.metadata?.name === name),
    volumes: () => volumes,
    storageClass: (name) => o.classes?.find((c) => c.metadata?.name === name),
    node: (name) => o.nodes?.find((n) => n.metadata?.name === name),
  };
}
