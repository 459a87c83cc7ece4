/**
 * Static pod manifests to Pods (upstream's file source + applyDefaults):
 * the name gets the node's name as suffix, the uid is a hash of the file's
 * content and the node, the pod is bound to this node, tolerates every
 * NoExecute taint, and carries the config annotations kubeadm relies on.
 */
import { createHash } from "node:crypto";
import type { Pod } from "kubernetes-types/core/v1.js";
import { parseAllDocuments } from "yaml";
import { defaultPod } from "../../api/defaults/pod.js";

export const CONFIG_SOURCE = "kubernetes.io/config.source";
export const CONFIG_HASH = "kubernetes.io/config.hash";
export const CONFIG_MIRROR = "kubernetes.io/config.mirror";
export const CONFIG_SEEN = "kubernetes.io/config.seen";

export class ManifestError extends Error {
  constructor(file: string, message: string) {
    super(`static pod manifest ${file}: ${message}`);
    this.name = "ManifestError";
  }
}

const isManifestFile = (name: string) => /\.(ya?ml|json)$/i.test(name) && !name.startsWith(".");

export { isManifestFile };

export function parseManifest(text: string, file: string, nodeName: string): Pod {
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  if (docs.length !== 1)
    throw new ManifestError(file, `want exactly one object, found ${docs.length}`);
  const doc = docs[0];
  if (doc?.errors.length) throw new ManifestError(file, doc.errors[0]?.message ?? "invalid YAML");
  const obj = doc?.toJS() as Record<string, unknown> | undefined;
  if (!obj || typeof obj !== "object") throw new ManifestError(file, "not an object");
  if (obj.kind !== "Pod" || obj.apiVersion !== "v1")
    throw new ManifestError(
      file,
      `want kind Pod apiVersion v1, got kind ${String(obj.kind)} apiVersion ${String(obj.apiVersion)}`,
    );
  const pod = obj as Pod;
  const name = pod.metadata?.name;
  if (!name) throw new ManifestError(file, "metadata.name: Required value");
  if (!pod.spec?.containers?.length)
    throw new ManifestError(file, "spec.containers: Required value");
  const uid = pod.metadata?.uid || createHash("md5").update(text).update(nodeName).digest("hex");
  const metadata = pod.metadata ?? {};
  pod.metadata = {
    ...metadata,
    name: `${name}-${nodeName}`,
    namespace: metadata.namespace || "default",
    uid,
    annotations: {
      ...(metadata.annotations ?? {}),
      [CONFIG_HASH]: uid,
      [CONFIG_SOURCE]: "file",
    },
  };
  pod.spec = {
    ...pod.spec,
    nodeName,
    tolerations: [...(pod.spec.tolerations ?? []), { operator: "Exists", effect: "NoExecute" }],
  };
  defaultPod(pod as unknown as Record<string, unknown>);
  const { status: _status, ...rest } = pod;
  return rest;
}

export const isStaticPod = (pod: Pod) => pod.metadata?.annotations?.[CONFIG_SOURCE] === "file";
export const isMirrorPod = (pod: Pod) => pod.metadata?.annotations?.[CONFIG_MIRROR] !== undefined;

/** The API object that shows a static pod to the cluster. */
export function mirrorPodFor(pod: Pod, node: { name: string; uid: string | undefined }): Pod {
  const { uid: _uid, resourceVersion: _rv, ...meta } = pod.metadata ?? {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...meta,
      annotations: {
        ...(meta.annotations ?? {}),
        [CONFIG_MIRROR]: pod.metadata?.annotations?.[CONFIG_HASH] ?? "",
      },
      ...(node.uid
        ? {
            ownerReferences: [
              { apiVersion: "v1", kind: "Node", name: node.name, uid: node.uid, controller: true },
            ],
          }
        : {}),
    },
    spec: pod.spec ?? { containers: [] },
  };
}
