/**
 * A kubelet over the runc engine for root suites: a loopback docker-registry
 * holding busybox and nginx built from Debian packages (the docker.io
 * mirror), a CNI bridge of the suite's own, and the kubelet harness. stop()
 * deletes the pods, stops everything and removes what it created.
 */
import { mkdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { Pod } from "kubernetes-types/core/v1.js";
import { PodCgroups } from "../../src/kubelet/cgroups/pod-cgroups.js";
import { mountsUnder, unmount } from "../../src/kubelet/volumes/mounter.js";
import { Engine } from "../../src/runtime/engine/engine.js";
import { StoreImageService } from "../../src/runtime/engine/image-service.js";
import { CniPodNetwork } from "../../src/runtime/engine/pod-network.js";
import { ImageStore } from "../../src/runtime/images/index.js";
import { bridgeNetwork, deleteBridge } from "../support/cni.js";
import { startRegistry, type TestRegistry } from "../support/registry.js";
import { dockerHubMirror, publishTestImages } from "../support/test-images.js";
import { tempDir } from "../support/tmp.js";
import { type KubeletHarness, startKubelet, until } from "./harness.js";

export interface EngineKubelet {
  readonly h: KubeletHarness;
  readonly engine: Engine;
  /** The kubelet's pod cgroups, under a cgroup root of this run's own. */
  readonly podCgroups: PodCgroups;
  readonly dir: string;
  readonly ipamDir: string;
  apply(obj: object): Promise<string>;
  runningPod(name: string, timeoutMs?: number): Promise<Pod>;
  /** Runs a command in a pod's container through the engine (no kubectl exec yet). */
  execIn(pod: Pod, container: string, cmd: string[]): Promise<string>;
  stop(): Promise<void>;
}

export function httpGet(url: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    // A new connection each time (no keep-alive): behind a Service, each GET is balanced anew.
    const req = request(url, { timeout: 2000, agent: false }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => resolve(res.statusCode === 200 ? body : undefined));
    });
    req.on("error", () => resolve(undefined));
    req.on("timeout", () => {
      req.destroy();
      resolve(undefined);
    });
    req.end();
  });
}

/** `slot` keeps suites running at once apart (bridge name, subnet). */
export async function startEngineKubelet(
  slot: number,
  opts: { apiserver?: Parameters<typeof startKubelet>[0]["apiserver"] } = {},
): Promise<EngineKubelet> {
  const id = (process.pid % 50) * 4 + slot;
  const bridge = `k8tk${id}`;
  const subnet = `10.${200 + (id % 50)}.${id}.0/24`;
  const dir = tempDir("kubelet-engine");
  let registry: TestRegistry | undefined;
  let engine: Engine | undefined;
  let h: KubeletHarness | undefined;
  const ipamDir = join(dir.path, "ipam");
  // Pod cgroups under a root of this run's own, removed at the end whatever happens.
  const podCgroups = new PodCgroups({ root: `/k8ts-test-${process.pid}-${slot}` });
  const cleanup = async () => {
    try {
      if (h) {
        await h.kubectlRaw([
          "delete",
          "pods",
          "--all",
          "-A",
          "--grace-period=1",
          "--wait=true",
          "--timeout=60s",
        ]);
        await h.stop();
      }
    } finally {
      for (const s of (await engine?.listPodSandbox().catch(() => [])) ?? []) {
        await engine?.stopPodSandbox(s.id).catch(() => {});
        await engine?.removePodSandbox(s.id).catch(() => {});
      }
      await podCgroups.tree.remove(podCgroups.root).catch(() => {});
      deleteBridge(bridge);
      await registry?.stop();
      for (const m of await mountsUnder(dir.path)) await unmount(m).catch(() => {});
      dir.remove();
    }
  };
  try {
    deleteBridge(bridge);
    mkdirSync(ipamDir, { recursive: true });
    registry = await startRegistry();
    await publishTestImages(registry.address);
    const store = await ImageStore.open(join(dir.path, "images"));
    const network = new CniPodNetwork(
      bridgeNetwork({ name: `k8ts-kubelet-${id}`, bridge, subnet, ipamDir }),
    );
    engine = new Engine({
      stateDir: join(dir.path, "engine"),
      images: store,
      nodeIp: "127.0.0.1",
      network,
    });
    h = await startKubelet({
      runtime: engine,
      images: new StoreImageService(store, dockerHubMirror(registry.address)),
      runtimeName: "k8ts",
      extra: { podCgroups },
      ...(opts.apiserver ? { apiserver: opts.apiserver } : {}),
    });
  } catch (err) {
    await cleanup();
    throw err;
  }
  const hh = h;
  const eng = engine;
  const containerId = (p: Pod, name: string) =>
    (p.status?.containerStatuses?.find((s) => s.name === name)?.containerID ?? "").replace(
      /^k8ts:\/\//,
      "",
    );
  return {
    h: hh,
    engine: eng,
    podCgroups,
    dir: dir.path,
    ipamDir: join(ipamDir, `k8ts-kubelet-${id}`),
    apply: (obj) => hh.kubectl(["apply", "-f", "-"], JSON.stringify(obj)),
    runningPod: (name, timeoutMs = 60_000) =>
      until(
        `${name} Running`,
        async () => {
          const p = await hh.getPod(name);
          return p?.status?.phase === "Running" && p.status.podIP ? p : undefined;
        },
        timeoutMs,
      ),
    async execIn(p, container, cmd) {
      const r = await eng.execSync({ containerId: containerId(p, container), cmd, timeout: 10 });
      return Buffer.from(r.stdout).toString();
    },
    stop: cleanup,
  };
}
