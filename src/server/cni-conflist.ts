import type { NetworkConfigList } from "../network/cni/index.js";

/**
 * The pod network `k8ts server` writes for its node once the node has a
 * podCIDR (the role flannel's host-gw config plays in k3s): a `cni0`
 * bridge whose gateway is the first address of the podCIDR, host-local
 * IPAM over the podCIDR, masquerade for traffic leaving it, and portmap
 * for hostPorts. Any other conflist in the directory is the user's to
 * choose instead (the kubelet loads the first by name).
 */
export function bridgeConflist(opts: {
  podCidr: string;
  bridge?: string;
  /** host-local's state directory (default /var/lib/cni/networks). */
  ipamDataDir?: string;
  /** The bridge masquerades traffic leaving the podCIDR (default true; false where the node's own rules do it). */
  ipMasq?: boolean;
}): NetworkConfigList {
  return {
    cniVersion: "1.0.0",
    name: "k8ts",
    plugins: [
      {
        type: "bridge",
        bridge: opts.bridge ?? "cni0",
        isGateway: true,
        ipMasq: opts.ipMasq ?? true,
        hairpinMode: true,
        ipam: {
          type: "host-local",
          ranges: [[{ subnet: opts.podCidr }]],
          routes: [{ dst: "0.0.0.0/0" }],
          ...(opts.ipamDataDir ? { dataDir: opts.ipamDataDir } : {}),
        },
      },
      { type: "portmap", capabilities: { portMappings: true } },
    ],
  };
}
