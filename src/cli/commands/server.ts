import type { Command } from "commander";
import type { AuthorizationMode } from "../../apiserver/authz.js";
import { startServer } from "../../server/server.js";
import { terminationSignal } from "../signals.js";
import { authorizationModeOption } from "./apiserver.js";
import { parseLabels, parseTaints } from "./kubelet.js";

interface ServerFlags {
  dataDir: string;
  datastoreEndpoint?: string;
  bindAddress: string;
  httpsListenPort: string;
  nodeName?: string;
  nodeIp?: string;
  clusterCidr: string;
  serviceCidr: string;
  clusterDns: string;
  clusterDomain: string;
  disableAgent: boolean;
  writeKubeconfig?: string;
  registries?: string;
  kubeletPort: string;
  cniBridge: string;
  clusterDnsPort: string;
  ingressHttpPort: string;
  ingressHttpsPort: string;
  disableIngress: boolean;
  cgroupRoot: string;
  flannelBackend: string;
  nodeLabel: string[];
  nodeTaint: string[];
  authorizationMode: AuthorizationMode;
  dashboardPort?: string;
}

/** Commander's collector for a repeatable flag. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerServer(program: Command): void {
  program
    .command("server")
    .description("run a whole cluster: control plane, and this machine as a node")
    .option(
      "--data-dir <dir>",
      "where the store, certificates, images and pod state live",
      "/var/lib/k8ts",
    )
    .option(
      "--datastore-endpoint <url>",
      "etcd client URLs (http://host:port,...); default: embedded SQLite in the data dir",
    )
    .option("--bind-address <ip>", "address the API server listens on", "0.0.0.0")
    .option("--https-listen-port <port>", "API server HTTPS port (0 picks a free one)", "6443")
    .option("--node-name <name>", "this node's name (default: the hostname)")
    .option("--node-ip <ip>", "this node's IP (default: its first global IPv4)")
    .option("--cluster-cidr <cidr>", "pod IP range; each node gets a /24 of it", "10.42.0.0/16")
    .option("--service-cidr <cidr>", "Service cluster IP range", "10.43.0.0/16")
    .option("--cluster-dns <ip>", "cluster DNS service IP given to pods", "10.43.0.10")
    .option("--cluster-domain <domain>", "cluster DNS domain", "cluster.local")
    .option("--disable-agent", "run the control plane only (this machine is not a node)", false)
    .option("--write-kubeconfig <file>", "also write the admin kubeconfig here")
    .option(
      "--registries <file>",
      "registries.yaml: mirrors, auth and TLS per registry (k3s format)",
    )
    .option("--kubelet-port <port>", "the kubelet's HTTPS port (0 picks a free one)", "10250")
    .option("--cni-bridge <name>", "bridge device of the pod network", "cni0")
    .option(
      "--cluster-dns-port <port>",
      "port the cluster DNS server listens on, on the node's address",
      "53",
    )
    .option("--ingress-http-port <port>", "the ingress controller's HTTP port on the node", "80")
    .option("--ingress-https-port <port>", "the ingress controller's HTTPS port on the node", "443")
    .option("--disable-ingress", "do not run the ingress controller", false)
    .option("--cgroup-root <path>", "the node's cgroup root: pods go in <root>/kubepods", "/")
    .option(
      "--flannel-backend <backend>",
      "pod traffic between nodes: host-gw (routes to other nodes' podCIDRs) or none",
      "host-gw",
    )
    .option(
      "--node-label <key=value>",
      "a label this node registers with (repeatable, or comma-separated)",
      collect,
      [],
    )
    .option(
      "--node-taint <key=value:Effect>",
      "a taint this node registers with (repeatable, or comma-separated)",
      collect,
      [],
    )
    .addOption(authorizationModeOption())
    .option(
      "--dashboard-port <port>",
      "also serve the read-only dashboard at http://127.0.0.1:<port>/dashboard/ (admin credentials; loopback only)",
    )
    .action(async (flags: ServerFlags) => {
      // Bad flags fail before anything starts.
      const flannelBackend = flags.flannelBackend;
      if (flannelBackend !== "host-gw" && flannelBackend !== "none")
        throw new Error(
          `--flannel-backend ${JSON.stringify(flannelBackend)}: must be host-gw or none`,
        );
      const nodeLabels = parseLabels(flags.nodeLabel.join(","));
      const nodeTaints = parseTaints(flags.nodeTaint.join(","));
      const dashboardPort =
        flags.dashboardPort === undefined ? undefined : Number(flags.dashboardPort);
      if (
        dashboardPort !== undefined &&
        !(Number.isInteger(dashboardPort) && dashboardPort >= 0 && dashboardPort <= 65535)
      )
        throw new Error(`--dashboard-port ${JSON.stringify(flags.dashboardPort)}: want 0-65535`);
      const stop = terminationSignal();
      const server = await startServer({
        dataDir: flags.dataDir,
        ...(flags.datastoreEndpoint ? { datastoreEndpoint: flags.datastoreEndpoint } : {}),
        bindAddress: flags.bindAddress,
        httpsListenPort: Number(flags.httpsListenPort),
        ...(flags.nodeName ? { nodeName: flags.nodeName } : {}),
        ...(flags.nodeIp ? { nodeIp: flags.nodeIp } : {}),
        clusterCidr: flags.clusterCidr,
        serviceCidr: flags.serviceCidr,
        clusterDns: flags.clusterDns,
        clusterDomain: flags.clusterDomain,
        disableAgent: flags.disableAgent,
        ...(flags.writeKubeconfig ? { writeKubeconfig: flags.writeKubeconfig } : {}),
        ...(flags.registries ? { registriesFile: flags.registries } : {}),
        kubeletPort: Number(flags.kubeletPort),
        cniBridge: flags.cniBridge,
        dnsPort: Number(flags.clusterDnsPort),
        cgroupRoot: flags.cgroupRoot,
        flannelBackend,
        nodeLabels,
        nodeTaints,
        authorizationMode: flags.authorizationMode,
        ...(dashboardPort !== undefined ? { dashboardPort } : {}),
        ...(flags.disableIngress
          ? {}
          : {
              ingress: {
                httpPort: Number(flags.ingressHttpPort),
                httpsPort: Number(flags.ingressHttpsPort),
              },
            }),
      });
      console.error(
        `k8ts server is up at ${server.url}${server.nodeName ? `; node ${server.nodeName}` : ""}`,
      );
      console.error(`  export KUBECONFIG=${server.adminKubeconfig}`);
      console.error("  kubectl get nodes");
      if (server.dashboardUrl) console.error(`  dashboard: ${server.dashboardUrl}`);
      await stop.promise;
      await server.stop();
    });
}
