import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Node, Taint } from "kubernetes-types/core/v1.js";
import type { RestClient } from "../client/rest/client.js";
import { ResourceClient } from "../client/rest/resource.js";
import { NODES } from "../controllers/common/resources.js";
import { PodCgroups } from "../kubelet/cgroups/pod-cgroups.js";
import { Kubelet, readHostResolvConf } from "../kubelet/kubelet.js";
import { standardDeps } from "../kubelet/wiring.js";
import { loadDefaultNetwork } from "../network/cni/index.js";
import { RouteController } from "../network/routes/controller.js";
import { KubeProxy } from "../proxy/proxy.js";
import { Engine } from "../runtime/engine/engine.js";
import { StoreImageService } from "../runtime/engine/image-service.js";
import { CniPodNetwork } from "../runtime/engine/pod-network.js";
import { ImageStore } from "../runtime/images/index.js";
import { parseRegistriesYaml } from "../runtime/images/registries.js";
import type { Logger } from "../util/log.js";
import { K8TS_VERSION } from "../version.js";
import { bridgeConflist } from "./cni-conflist.js";
import { DeferredPodNetwork } from "./deferred-network.js";

export interface AgentOptions {
  readonly rest: RestClient;
  /** PEM of the CA that signs API server clients (the kubelet's server trusts it). */
  readonly clientCA: string;
  readonly nodeName: string;
  readonly dataDir: string;
  readonly clusterDns: readonly string[];
  readonly clusterDomain: string;
  readonly registriesFile?: string;
  readonly kubeletPort: number;
  readonly nodeIp?: string;
  /** Pod IP range: the proxy masquerades traffic to cluster IPs from outside it. */
  readonly clusterCidr?: string;
  readonly nodeLabels?: Record<string, string>;
  /** Taints the node registers with (the kubelet's --register-with-taints). */
  readonly taints?: readonly Taint[];
  /** Bridge device of the pod network (default cni0). */
  readonly cniBridge?: string;
  /** Pod traffic between nodes (k3s's --flannel-backend): "host-gw" routes (default) or "none". */
  readonly flannelBackend?: "host-gw" | "none";
  readonly cniBinDirs?: readonly string[];
  /** The node's cgroup root (kubelet --cgroup-root): pods go in `<root>/kubepods`. Default "/". */
  readonly cgroupRoot?: string;
  readonly log: Logger;
}

/** Where the agent keeps its files under the data dir (k3s's agent/ layout). */
export function agentPaths(dataDir: string) {
  const agent = join(dataDir, "agent");
  return {
    cniConfDir: join(agent, "etc", "cni", "net.d"),
    ipamDir: join(agent, "cni", "networks"),
    podManifests: join(agent, "pod-manifests"),
    /** The cgroup root the kubelet used, for `k8ts reset`. */
    cgroupRootFile: join(agent, "cgroup-root"),
    kubeletRoot: join(dataDir, "kubelet"),
    images: join(dataDir, "images"),
    engine: join(dataDir, "engine"),
  };
}

/**
 * This machine as a node: the engine on runc, a kubelet and the service
 * proxy, talking to the API server like any other client. The pod network appears once the
 * node has a podCIDR (given by the node IPAM controller): then the
 * bridge conflist is written and the node turns Ready.
 */
export async function startAgent(opts: AgentOptions): Promise<{ stop(): Promise<void> }> {
  const paths = agentPaths(opts.dataDir);
  for (const dir of [paths.cniConfDir, paths.ipamDir, paths.podManifests])
    mkdirSync(dir, { recursive: true });
  const store = await ImageStore.open(paths.images);
  const registries = opts.registriesFile
    ? parseRegistriesYaml(readFileSync(opts.registriesFile, "utf8"))
    : undefined;
  const images = new StoreImageService(store, registries);
  const network = new DeferredPodNetwork("waiting for the node's podCIDR");
  const runtime = new Engine({
    stateDir: paths.engine,
    images: store,
    nodeIp: opts.nodeIp ?? "127.0.0.1",
    network,
  });
  // What a killed k8ts left half-made (a record whose process never started, a
  // container whose sandbox is gone) goes before the kubelet adopts the rest.
  await runtime.recover().then(
    (r) => {
      if (r.sandboxes.length + r.containers.length > 0)
        opts.log.info("removed leftovers", { ...r });
    },
    (err: unknown) => opts.log.warn("engine recovery", { err: String(err) }),
  );
  // Pod-level cgroups (kubepods/<qos>/pod<uid>), as a kubelet with --cgroups-per-qos.
  const cgroupRoot = opts.cgroupRoot ?? "/";
  writeFileSync(paths.cgroupRootFile, `${cgroupRoot}\n`);
  const podCgroups = new PodCgroups({ root: cgroupRoot });
  const kubelet = new Kubelet({
    podCgroups,
    rest: opts.rest,
    nodeName: opts.nodeName,
    rootDir: paths.kubeletRoot,
    podManifestPath: paths.podManifests,
    runtime,
    images,
    runtimeName: "k8ts",
    runtimeVersion: `k8ts://${K8TS_VERSION}`,
    ...(opts.nodeIp ? { nodeIPs: [opts.nodeIp] } : {}),
    nodeLabels: opts.nodeLabels ?? {},
    taints: [...(opts.taints ?? [])],
    log: opts.log,
    server: { port: opts.kubeletPort, address: "0.0.0.0", clientCA: opts.clientCA },
    networkNotReady: () => network.notReady(),
    makeDeps: standardDeps({
      runtime,
      clusterDNS: [...opts.clusterDns],
      clusterDomain: opts.clusterDomain,
      hostResolvConf: await readHostResolvConf(),
      hostEtcHosts: await readFile("/etc/hosts", "utf8").catch(() => ""),
    }),
  });
  await kubelet.start();
  const proxy = new KubeProxy(opts.rest, {
    hostname: opts.nodeName,
    ...(opts.clusterCidr ? { clusterCIDR: opts.clusterCidr } : {}),
    log: opts.log,
  });
  await proxy.start();
  // host-gw: a route to every other node's podCIDR via its InternalIP, and pod traffic
  // masqueraded only when it leaves the cluster CIDR (so the bridge's ipMasq goes off).
  const routes =
    (opts.flannelBackend ?? "host-gw") === "host-gw"
      ? new RouteController(opts.rest, {
          nodeName: opts.nodeName,
          ...(opts.clusterCidr ? { clusterCIDR: opts.clusterCidr } : {}),
        })
      : undefined;
  await routes?.start();

  let stopped = false;
  const nodes = new ResourceClient<Node>(opts.rest, NODES);
  const waiting = (async () => {
    while (!stopped) {
      const node = await nodes.get(opts.nodeName).catch(() => undefined);
      const podCidr = node?.spec?.podCIDR;
      if (podCidr) {
        const file = join(paths.cniConfDir, "10-k8ts.conflist");
        const conflist = bridgeConflist({
          podCidr,
          ...(opts.cniBridge ? { bridge: opts.cniBridge } : {}),
          ipamDataDir: paths.ipamDir,
          ...(routes && opts.clusterCidr ? { ipMasq: false } : {}),
        });
        writeFileSync(file, `${JSON.stringify(conflist, null, 2)}\n`);
        const list = await loadDefaultNetwork(paths.cniConfDir, (f, err) =>
          opts.log.warn("skipping CNI config", { file: f, err: err.message }),
        );
        if (list) {
          network.set(
            new CniPodNetwork(list, {
              binDirs: [...(opts.cniBinDirs ?? ["/usr/lib/cni", "/opt/cni/bin"])],
            }),
          );
          opts.log.info("pod network ready", { podCIDR: podCidr, network: list.name });
          await kubelet
            .updateNodeStatus()
            .catch((err: unknown) => opts.log.warn("node status", { err: String(err) }));
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await waiting;
      // Containers outlive the kubelet (conmon holds them) and service rules stay in
      // the kernel, as upstream's proxy leaves them: a restart re-adopts both.
      await routes?.stop();
      await proxy.stop();
      await kubelet.stop();
    },
  };
}
