// Root suite: the runc engine passes the same CRI contract as the fake, with
// images pulled from a real registry and pods attached by the real CNI plugins.
import { join } from "node:path";
import { Engine, StoreImageService } from "../../../src/runtime/engine/index.js";
import { CniPodNetwork } from "../../../src/runtime/engine/pod-network.js";
import { ImageStore, pushImage } from "../../../src/runtime/images/index.js";
import { storeBusyboxImage } from "../../support/busybox-image.js";
import { bridgeNetwork, deleteBridge } from "../../support/cni.js";
import { startRegistry } from "../../support/registry.js";
import { tempDir } from "../../support/tmp.js";
import { runtimeContract } from "../contract.js";

runtimeContract("runc engine", async () => {
  const dir = tempDir("engine-contract");
  const registry = await startRegistry();
  const bridge = `k8tse${process.pid % 10000}`;
  try {
    const local = await ImageStore.open(join(dir.path, "local"));
    await storeBusyboxImage(local, "k8ts.test/busybox:1");
    const image = `${registry.address}/k8ts/busybox:1`;
    await pushImage(local, "k8ts.test/busybox:1", { target: image });
    const store = await ImageStore.open(join(dir.path, "images"));
    const engine = new Engine({
      stateDir: join(dir.path, "state"),
      images: store,
      nodeIp: "192.0.2.1",
      network: new CniPodNetwork(
        bridgeNetwork({
          name: "k8ts-engine-contract",
          bridge,
          subnet: `10.252.${100 + (process.pid % 100)}.0/24`,
          ipamDir: join(dir.path, "ipam"),
          extra: [{ type: "loopback" }],
        }),
      ),
    });
    return {
      runtime: engine,
      images: new StoreImageService(store),
      image,
      command: ["/bin/sh", "-c", "exec sleep 3600"],
      dispose: async () => {
        for (const s of await engine.listPodSandbox())
          await engine.removePodSandbox(s.id).catch(() => {});
        deleteBridge(bridge);
        await registry.stop();
        dir.remove();
      },
    };
  } catch (error) {
    deleteBridge(bridge);
    await registry.stop();
    dir.remove();
    throw error;
  }
});
