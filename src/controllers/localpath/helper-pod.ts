/**
 * The pod that does the provisioner's work on a node (local-path-provisioner's
 * helper pod): pinned there by nodeName, the volume's parent directory
 * mounted at the same path, one shell command on $VOL_DIR.
 */
import type { Pod } from "kubernetes-types/core/v1.js";

/** Label on helper pods naming the volume they work for. */
export const HELPER_VOLUME_LABEL = "local-path-provisioner.k8ts.io/volume";
/** local-path-provisioner's default teardown script. */
export const TEARDOWN = 'set -eu\nrm -rf "$VOL_DIR"';
const MAX_NAME = 253;

export interface HelperPodSpec {
  readonly action: "create" | "delete";
  readonly volume: string;
  readonly path: string;
  readonly node: string;
  readonly namespace: string;
  readonly image: string;
  readonly script: string;
  readonly mode?: string;
  readonly sizeBytes?: number;
}

export function helperPodName(action: string, volume: string): string {
  return `helper-pod-${action}-${volume}`.slice(0, MAX_NAME);
}

/** Splits `/a/b/c/` into `/a/b` and `c`; undefined for `/` or a relative path. */
export function splitVolumePath(path: string): { parent: string; dir: string } | undefined {
  if (!path.startsWith("/")) return undefined;
  const trimmed = path.replace(/\/+$/, "");
  const i = trimmed.lastIndexOf("/");
  const dir = trimmed.slice(i + 1);
  const parent = trimmed.slice(0, i);
  if (parent === "" || dir === "" || dir === "." || dir === "..") return undefined;
  return { parent, dir };
}

export function helperPod(spec: HelperPodSpec): Pod {
  const split = splitVolumePath(spec.path);
  if (!split)
    throw new Error(
      `invalid path ${spec.path} for ${spec.action}: cannot find parent dir or volume dir`,
    );
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: helperPodName(spec.action, spec.volume),
      namespace: spec.namespace,
      labels: { [HELPER_VOLUME_LABEL]: spec.volume },
    },
    spec: {
      nodeName: spec.node,
      restartPolicy: "Never",
      priorityClassName: "system-node-critical",
      // It must run wherever the data is, whatever the node's taints.
      tolerations: [{ operator: "Exists" }],
      containers: [
        {
          name: "helper-pod",
          image: spec.image,
          imagePullPolicy: "IfNotPresent",
          command: ["/bin/sh", "-c", spec.script],
          env: [
            { name: "VOL_DIR", value: `${split.parent}/${split.dir}` },
            { name: "VOL_MODE", value: spec.mode ?? "Filesystem" },
            { name: "VOL_SIZE_BYTES", value: String(spec.sizeBytes ?? 0) },
          ],
          volumeMounts: [{ name: "data", mountPath: split.parent }],
        },
      ],
      volumes: [{ name: "data", hostPath: { path: split.parent, type: "DirectoryOrCreate" } }],
    },
  };
}
