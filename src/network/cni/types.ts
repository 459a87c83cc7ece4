/**
 * CNI (Container Network Interface) 1.0 types: a network configuration list
 * as it sits in /etc/cni/net.d, and the result a plugin prints on ADD.
 * See https://www.cni.dev/docs/spec/.
 */

/** One plugin's configuration inside a list (`type` names the binary). */
export interface PluginConf {
  type: string;
  [key: string]: unknown;
}

/** A `.conflist`: plugins run in order on ADD, in reverse on DEL. */
export interface NetworkConfigList {
  cniVersion: string;
  name: string;
  disableCheck?: boolean;
  plugins: PluginConf[];
}

export interface CniInterface {
  name: string;
  mac?: string;
  /** The netns path when the interface is inside the container. */
  sandbox?: string;
}

export interface CniIpConfig {
  /** CIDR notation, `10.42.0.5/24`. */
  address: string;
  gateway?: string;
  /** Index into `interfaces`. */
  interface?: number;
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIpConfig[];
  routes?: { dst: string; gw?: string }[];
  dns?: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

/** Where and for whom a plugin runs (the CNI_* environment). */
export interface RuntimeConf {
  containerId: string;
  /** Path of the network namespace, `/var/run/netns/<name>`. */
  netns: string;
  /** Interface name inside the namespace, `eth0`. */
  ifName: string;
  /** `K=V;K2=V2` pairs (K8S_POD_NAMESPACE, K8S_POD_NAME, ...). */
  args?: [string, string][];
  /**
   * Values for the capabilities plugins declare (`portMappings`, ...): each
   * plugin gets, as `runtimeConfig`, those it lists in its `capabilities`,
   * as libcni does.
   */
  capabilityArgs?: Record<string, unknown>;
}

/** A plugin's error reply (`code`, `msg`, `details`), or a plugin that failed without one. */
export class CniError extends Error {
  constructor(
    readonly plugin: string,
    readonly code: number,
    message: string,
    readonly details?: string,
  ) {
    super(`CNI plugin ${plugin} failed (code ${code}): ${message}${details ? `: ${details}` : ""}`);
    this.name = new.target.name;
  }
}
