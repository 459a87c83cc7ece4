/** What makeEnvironment reads besides the pod: the node, and the API objects it references. */
import type { ConfigMap, Secret, Service } from "kubernetes-types/core/v1.js";
import type { NodeAllocatable } from "../fieldpath/index.js";

/** Where referenced objects come from; `undefined` means NotFound, a throw is any other failure. */
export interface EnvSources {
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** Services visible for service-link variables: the pod's namespace, plus the "kubernetes" service of "default" (upstream's master services). */
  services(namespace: string): Promise<Service[]>;
}

/** The node-side facts the downward API exposes. */
export interface EnvContext {
  nodeName: string;
  podIP?: string;
  podIPs?: string[];
  hostIP?: string;
  hostIPs?: string[];
  /** Defaults for containers without a cpu, memory or ephemeral-storage limit. */
  nodeAllocatable: NodeAllocatable;
}
