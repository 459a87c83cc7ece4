/**
 * The engine through its CRI interface, as the kubelet uses it: pod
 * sandbox creation (named netns, CNI bridge, the pause under conmon) and a
 * container's create + start in it (image layers and init layer on
 * overlay, spec, conmon, runc), on a bridge of the benchmark's own; and
 * image pull throughput from a loopback docker-registry into an empty
 * store (download and digest checks; layers are unpacked later, at the
 * first container create that needs them).
 */
import { join } from "node:path";
import type { ContainerConfig, PodSandboxConfig } from "../../src/runtime/cri.js";
import { Engine } from "../../src/runtime/engine/engine.js";
import { CniPodNetwork } from "../../src/runtime/engine/pod-network.js";
import { ImageStore, pullImage } from "../../src/runtime/images/index.js";
import { bridgeNetwork, deleteBridge } from "../../test/support/cni.js";
import { startRegistry } from "../../test/support/registry.js";
import { publishTestImages } from "../../test/support/test-images.js";
import { tempDir } from "../../test/support/tmp.js";

const BRIDGE = "k8tbe0";

export interface CriFigures {
  readonly sandboxMs: number[];
  readonly containerMs: number[];
  /** Per pull: bytes of the image's blobs and the time it took. */
  readonly pulls: { bytes: number; ms: number }[];
  readonly image: string;
}

export async function criBench(runs: number, pulls: number): Promise<CriFigures> {
  const dir = tempDir("bench-engine-cri");
  const registry = await startRegistry();
  const figures: CriFigures = { sandboxMs: [], containerMs: [], pulls: [], image: "nginx" };
  let engine: Engine | undefined;
  try {
    await publishTestImages(registry.address);
    const nginx = `${registry.address}/library/nginx:latest`;
    for (let i = 0; i < pulls; i++) {
      const store = await ImageStore.open(join(dir.path, `pull-${i}`, "images"));
      const t0 = performance.now();
      const image = await pullImage(store, nginx);
      const ms = performance.now() - t0;
      const bytes =
        image.manifest.config.size + image.layers.reduce((sum, layer) => sum + layer.size, 0);
      figures.pulls.push({ bytes, ms });
    }

    const store = await ImageStore.open(join(dir.path, "images"));
    const busybox = `${registry.address}/library/busybox:latest`;
    await pullImage(store, busybox);
    engine = new Engine({
      stateDir: join(dir.path, "engine"),
      images: store,
      nodeIp: "127.0.0.1",
      network: new CniPodNetwork(
        bridgeNetwork({
          name: "k8ts-bench-engine",
          bridge: BRIDGE,
          subnet: "10.198.0.0/16",
          ipamDir: join(dir.path, "ipam"),
        }),
      ),
    });
    for (let i = 0; i < runs; i++) {
      const pod: PodSandboxConfig = {
        metadata: { name: `bench-${i}`, uid: `u-${i}`, namespace: "default" },
        hostname: `bench-${i}`,
        logDirectory: join(dir.path, "pods", `bench-${i}`),
      };
      const container: ContainerConfig = {
        metadata: { name: "c", attempt: 0 },
        image: { image: busybox },
        command: ["sleep", "3600"],
        logPath: "c/0.log",
      };
      const t0 = performance.now();
      const sandbox = await engine.runPodSandbox(pod);
      const t1 = performance.now();
      const id = await engine.createContainer(sandbox, { config: container, sandboxConfig: pod });
      await engine.startContainer(id);
      const t2 = performance.now();
      figures.sandboxMs.push(t1 - t0);
      figures.containerMs.push(t2 - t1);
      await engine.stopPodSandbox(sandbox);
      await engine.removePodSandbox(sandbox);
    }
  } finally {
    for (const s of (await engine?.listPodSandbox().catch(() => [])) ?? [])
      await engine?.removePodSandbox(s.id).catch(() => {});
    deleteBridge(BRIDGE);
    await registry.stop();
    dir.remove();
  }
  return figures;
}
