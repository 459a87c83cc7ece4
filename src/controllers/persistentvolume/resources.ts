import type { ResourceRef } from "../../client/rest/resource.js";

/** The storage resources common/resources.ts does not list. */
export const PERSISTENT_VOLUMES: ResourceRef = {
  group: "",
  version: "v1",
  resource: "persistentvolumes",
  namespaced: false,
};

export const STORAGE_CLASSES: ResourceRef = {
  group: "storage.k8s.io",
  version: "v1",
  resource: "storageclasses",
  namespaced: false,
};
