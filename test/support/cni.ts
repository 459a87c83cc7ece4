import { execFileSync } from "node:child_process";
import type { NetworkConfigList, PluginConf } from "../../src/network/cni/index.js";

/**
 * A bridge + host-local network list for root tests: its own bridge device
 * and subnet (pick per-process values so parallel suites do not collide)
 * and IPAM state in the test's temp dir.
 */
export function bridgeNetwork(options: {
  name: string;
  bridge: string;
  subnet: string;
  ipamDir: string;
  extra?: PluginConf[];
}): NetworkConfigList {
  return {
    cniVersion: "1.0.0",
    name: options.name,
    plugins: [
      {
        type: "bridge",
        bridge: options.bridge,
        isGateway: true,
        ipMasq: false,
        ipam: {
          type: "host-local",
          ranges: [[{ subnet: options.subnet }]],
          routes: [{ dst: "0.0.0.0/0" }],
          dataDir: options.ipamDir,
        },
      },
      ...(options.extra ?? []),
    ],
  };
}

/** Deletes the test's bridge device (the bridge plugin leaves it on DEL); quiet if absent. */
export function deleteBridge(bridge: string): void {
  try {
    execFileSync("ip", ["link", "delete", bridge], { stdio: "ignore" });
  } catch {
    // never created
  }
}
