/**
 * The network of `k8ts run` containers: a CNI list of its own in the state
 * directory (`<state>/net.d/`), written on first use as a `k8ts-run0`
 * bridge over 10.88.0.0/16 (podman's default subnet) with host-local IPAM
 * kept in `<state>/cni` and portmap for `-p`. Edit or replace the file to
 * change it; every command reads the same file, so a container is torn
 * down on the network it was set up on.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadDefaultNetwork, type NetworkConfigList } from "../../network/cni/index.js";
import { bridgeConflist } from "../../server/cni-conflist.js";

export const LOCAL_BRIDGE = "k8ts-run0";
export const LOCAL_SUBNET = "10.88.0.0/16";
const FILE = "10-k8ts-run.conflist";

export function defaultLocalNetwork(stateDir: string): NetworkConfigList {
  return {
    ...bridgeConflist({
      podCidr: LOCAL_SUBNET,
      bridge: LOCAL_BRIDGE,
      ipamDataDir: join(stateDir, "cni"),
    }),
    name: "k8ts-run",
  };
}

/** The network list in `<stateDir>/net.d`, written with the defaults when there is none. */
export async function localNetwork(stateDir: string): Promise<NetworkConfigList> {
  const dir = join(stateDir, "net.d");
  const found = await loadDefaultNetwork(dir, (file, err) => {
    throw new Error(`${file}: ${err.message}`, { cause: err });
  });
  if (found) return found;
  const list = defaultLocalNetwork(stateDir);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${FILE}.${process.pid}`);
  await writeFile(tmp, `${JSON.stringify(list, null, 2)}\n`);
  await rename(tmp, join(dir, FILE));
  return list;
}
