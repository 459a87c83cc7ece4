import type { StorageClass } from "kubernetes-types/storage/v1.js";
import { ANN_DEFAULT_CLASS } from "../persistentvolume/annotations.js";

/** The provisioner name k3s's local-path-provisioner registers. */
export const LOCAL_PATH_PROVISIONER = "rancher.io/local-path";
export const LOCAL_PATH_CLASS = "local-path";

/**
 * The class k3s ships: the cluster default, binding at the first consumer
 * (a local volume must live where its pod runs), deleted with its claim.
 */
export function localPathClass(): StorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: LOCAL_PATH_CLASS, annotations: { [ANN_DEFAULT_CLASS]: "true" } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  };
}
