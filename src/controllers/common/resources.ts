import type { ResourceRef } from "../../client/rest/resource.js";

/** The resources the controllers read and write, by REST path. */
const ref = (group: string, version: string, resource: string, namespaced = true): ResourceRef =>
  ({ group, version, resource, namespaced }) as const;

export const PODS = ref("", "v1", "pods");
export const NODES = ref("", "v1", "nodes", false);
export const NAMESPACES = ref("", "v1", "namespaces", false);
export const SERVICE_ACCOUNTS = ref("", "v1", "serviceaccounts");
export const REPLICATION_CONTROLLERS = ref("", "v1", "replicationcontrollers");
export const PERSISTENT_VOLUME_CLAIMS = ref("", "v1", "persistentvolumeclaims");
export const REPLICA_SETS = ref("apps", "v1", "replicasets");
export const DEPLOYMENTS = ref("apps", "v1", "deployments");
export const STATEFUL_SETS = ref("apps", "v1", "statefulsets");
export const DAEMON_SETS = ref("apps", "v1", "daemonsets");
export const CONTROLLER_REVISIONS = ref("apps", "v1", "controllerrevisions");
export const JOBS = ref("batch", "v1", "jobs");
export const CRON_JOBS = ref("batch", "v1", "cronjobs");
