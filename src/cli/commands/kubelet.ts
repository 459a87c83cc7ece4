import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import type { Taint } from "kubernetes-types/core/v1.js";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import { PodCgroups } from "../../kubelet/cgroups/pod-cgroups.js";
import { Kubelet, readHostResolvConf } from "../../kubelet/kubelet.js";
import { standardDeps } from "../../kubelet/wiring.js";
import { loadDefaultNetwork } from "../../network/cni/index.js";
import type { ImageService, RuntimeService } from "../../runtime/cri.js";
import { Engine } from "../../runtime/engine/engine.js";
import { StoreImageService } from "../../runtime/engine/image-service.js";
import { CniPodNetwork } from "../../runtime/engine/pod-network.js";
import { FakeImageService, FakeRuntimeService } from "../../runtime/fake/index.js";
import { ImageStore } from "../../runtime/images/index.js";
import { parseRegistriesYaml } from "../../runtime/images/registries.js";
import { createLogger } from "../../util/log.js";
import { K8TS_VERSION } from "../../version.js";
import { terminationSignal } from "../signals.js";

interface KubeletFlags {
  kubeconfig: string;
  nodeName: string;
  rootDir?: string;
  dataDir: string;
  podManifestPath: string;
  clusterDns: string;
  clusterDomain: string;
  registerWithTaints?: string;
  nodeLabels?: string;
  nodeIp?: string;
  runtime: "engine" | "fake";
  cniConfDir: string;
  cniBinDir: string;
  registries?: string;
  resolvConf: string;
  port: string;
  address: string;
  cgroupRoot: string;
  cgroupsPerQos: string;
}

/** `key=value:Effect` or `key:Effect`, comma-separated (the kubelet's --register-with-taints). */
export function parseTaints(text: string | undefined): Taint[] {
  if (!text) return [];
  return text.split(",").map((item) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(item.trim());
    if (!m) throw new Error(`invalid taint ${JSON.stringify(item)}: use key=value:Effect`);
    return { key: m[1] as string, ...(m[2] ? { value: m[2] } : {}), effect: m[3] as string };
  });
}

/** `k=v,k2=v2` (the kubelet's --node-labels). */
export function parseLabels(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const item of text.split(",")) {
    const i = item.indexOf("=");
    if (i <= 0) throw new Error(`invalid label ${JSON.stringify(item)}: use key=value`);
    out[item.slice(0, i).trim()] = item.slice(i + 1).trim();
  }
  return out;
}

export function registerKubelet(program: Command): void {
  program
    .command("kubelet")
    .description("run the node agent: register this node and run the pods bound to it")
    .requiredOption("--kubeconfig <file>", "kubeconfig to reach the API server")
    .requiredOption("--node-name <name>", "name of this node")
    .option(
      "--data-dir <dir>",
      "k8ts data directory (images in <dir>/images, engine state in <dir>/engine)",
      "/var/lib/k8ts",
    )
    .option("--root-dir <dir>", "kubelet state: pod volumes and files (default <data-dir>/kubelet)")
    .option("--pod-manifest-path <dir>", "static pod manifests", "/etc/kubernetes/manifests")
    .option("--cluster-dns <ips>", "comma-separated cluster DNS server IPs", "")
    .option("--cluster-domain <domain>", "cluster DNS domain", "cluster.local")
    .option(
      "--register-with-taints <taints>",
      "taints to register the node with (key=value:Effect,...)",
    )
    .option("--node-labels <labels>", "labels to register the node with (k=v,...)")
    .option(
      "--node-ip <ips>",
      "comma-separated node IPs to report (default: this host's first global IPv4)",
    )
    .option("--runtime <kind>", "engine (runc) or fake (a hollow node)", "engine")
    .option("--cni-conf-dir <dir>", "CNI network configuration directory", "/etc/cni/net.d")
    .option(
      "--cni-bin-dir <dirs>",
      "CNI plugin directories (colon-separated)",
      "/usr/lib/cni:/opt/cni/bin",
    )
    .option(
      "--registries <file>",
      "registries.yaml: mirrors, auth and TLS per registry (k3s format)",
    )
    .option(
      "--resolv-conf <file>",
      "resolver configuration for dnsPolicy Default",
      "/etc/resolv.conf",
    )
    .option(
      "--port <port>",
      "port of the kubelet's HTTPS server (logs; 0 picks a free one)",
      "10250",
    )
    .option("--address <ip>", "address the kubelet's HTTPS server listens on", "0.0.0.0")
    .option(
      "--cgroup-root <path>",
      "cgroup the pod cgroups go under (as <path>/kubepods/<qos>/pod<uid>)",
      "/",
    )
    .option(
      "--cgroups-per-qos <bool>",
      "give each pod a cgroup with its limits under its QoS class's (engine runtime)",
      "true",
    )
    .action(async (flags: KubeletFlags) => {
      const log = createLogger("kubelet");
      const config = loadKubeconfig({ path: flags.kubeconfig });
      if (!config.ca)
        throw new Error(
          `${flags.kubeconfig} names no certificate authority: the kubelet verifies API server clients with it`,
        );
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`invalid --port ${JSON.stringify(flags.port)}`);
      const rest = new RestClient({ ...config, userAgent: `k8ts-kubelet/${flags.nodeName}` });
      const rootDir = flags.rootDir ?? join(flags.dataDir, "kubelet");
      const nodeIPs = flags.nodeIp ? flags.nodeIp.split(",").map((s) => s.trim()) : undefined;
      let runtime: RuntimeService;
      let images: ImageService;
      let runtimeName: string;
      let networkNotReady: (() => string | undefined) | undefined;
      let podCgroups: PodCgroups | undefined;
      if (!["true", "false"].includes(flags.cgroupsPerQos))
        throw new Error(`invalid --cgroups-per-qos ${JSON.stringify(flags.cgroupsPerQos)}`);
      if (flags.runtime === "fake") {
        const fakeImages = new FakeImageService();
        images = fakeImages;
        runtime = new FakeRuntimeService({
          images: fakeImages,
          ...(nodeIPs?.[0] ? { nodeIp: nodeIPs[0] } : {}),
        });
        runtimeName = "fake";
      } else if (flags.runtime === "engine") {
        const store = await ImageStore.open(join(flags.dataDir, "images"));
        const registries = flags.registries
          ? parseRegistriesYaml(readFileSync(flags.registries, "utf8"))
          : undefined;
        images = new StoreImageService(store, registries);
        const network = await loadDefaultNetwork(flags.cniConfDir, (file, err) =>
          log.warn("skipping CNI config", { file, err: err.message }),
        );
        if (!network)
          networkNotReady = () => `cni config uninitialized (no network in ${flags.cniConfDir})`;
        runtime = new Engine({
          stateDir: join(flags.dataDir, "engine"),
          images: store,
          nodeIp: nodeIPs?.[0] ?? "127.0.0.1",
          ...(network
            ? { network: new CniPodNetwork(network, { binDirs: flags.cniBinDir.split(":") }) }
            : {}),
        });
        runtimeName = "k8ts";
        if (flags.cgroupsPerQos === "true") podCgroups = new PodCgroups({ root: flags.cgroupRoot });
      } else {
        throw new Error(`unknown --runtime ${JSON.stringify(flags.runtime)}: use engine or fake`);
      }
      const kubelet = new Kubelet({
        rest,
        nodeName: flags.nodeName,
        rootDir,
        podManifestPath: flags.podManifestPath,
        runtime,
        images,
        runtimeName,
        runtimeVersion: `${runtimeName}://${K8TS_VERSION}`,
        ...(nodeIPs ? { nodeIPs } : {}),
        nodeLabels: parseLabels(flags.nodeLabels),
        taints: parseTaints(flags.registerWithTaints),
        log,
        server: { port, address: flags.address, clientCA: config.ca },
        ...(networkNotReady ? { networkNotReady } : {}),
        ...(podCgroups ? { podCgroups } : {}),
        makeDeps: standardDeps({
          runtime,
          clusterDNS: flags.clusterDns ? flags.clusterDns.split(",").map((s) => s.trim()) : [],
          clusterDomain: flags.clusterDomain,
          hostResolvConf: await readHostResolvConf(flags.resolvConf),
          hostEtcHosts: await readFile("/etc/hosts", "utf8").catch(() => ""),
        }),
      });
      const stop = terminationSignal();
      await kubelet.start();
      await stop.promise;
      await kubelet.stop();
      rest.close();
    });
}
