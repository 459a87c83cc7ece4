/** This k8ts release. */
export const K8TS_VERSION = "0.1.0";

/** The Kubernetes release whose API k8ts implements (what /version reports). */
export const KUBERNETES_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0" } as const;
