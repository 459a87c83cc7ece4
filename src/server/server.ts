import { copyFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Taint } from "kubernetes-types/core/v1.js";
import type { AuthorizationMode } from "../apiserver/authz.js";
import { startApiServer } from "../apiserver/server.js";
import { defaultHooks } from "../apiserver/wiring.js";
import { RestClient } from "../client/rest/client.js";
import { loadKubeconfig } from "../client/rest/config.js";
import { ControllerManager, selectControllers } from "../controllers/manager/controller-manager.js";
import { startDashboard } from "../dashboard/server.js";
import { DnsServer } from "../dns/server.js";
import { IngressController } from "../ingress/controller.js";
import { defaultNodeIPs } from "../kubelet/node/machine-info.js";
import { Scheduler } from "../scheduler/runner/scheduler.js";
import { createLogger } from "../util/log.js";
import { startAgent } from "./agent.js";
import { runElected } from "./elected.js";
import { publishKubeDns } from "./kube-dns.js";

export interface ServerOptions {
  readonly dataDir: string;
  readonly datastoreEndpoint?: string;
  readonly bindAddress: string;
  readonly httpsListenPort: number;
  readonly nodeName?: string;
  readonly nodeIp?: string;
  readonly clusterCidr: string;
  readonly serviceCidr: string;
  readonly clusterDns: string;
  readonly clusterDomain: string;
  readonly disableAgent: boolean;
  readonly writeKubeconfig?: string;
  readonly registriesFile?: string;
  readonly kubeletPort: number;
  readonly cniBridge?: string;
  /** The node's cgroup root: pods go in `<root>/kubepods` (default "/"). */
  readonly cgroupRoot?: string;
  /** Pod traffic between nodes (k3s's --flannel-backend): host-gw routes (default) or none. */
  readonly flannelBackend?: "host-gw" | "none";
  /** Port of the cluster DNS server on the node's address (default 53). */
  readonly dnsPort?: number;
  /** The ingress controller's ports on the node (default 80 and 443); undefined disables it. */
  readonly ingress?: { readonly httpPort: number; readonly httpsPort: number };
  /** Extra labels of this node (k3s's --node-label), over the control-plane role label. */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** Taints this node registers with (k3s's --node-taint); none by default, as k3s. */
  readonly nodeTaints?: readonly Taint[];
  /** The API server's --authorization-mode (default RBAC). */
  readonly authorizationMode?: AuthorizationMode;
  /** Serve the read-only dashboard under /dashboard/ on this loopback port (undefined: not at all). */
  readonly dashboardPort?: number;
}

/** The role label k3s's supervisor puts on a server's node (kubectl's ROLES column shows it). */
export const CONTROL_PLANE_LABELS: Readonly<Record<string, string>> = {
  "node-role.kubernetes.io/control-plane": "true",
};

export interface RunningServer {
  readonly url: string;
  readonly adminKubeconfig: string;
  readonly nodeName: string | undefined;
  /** The dashboard's URL, when it runs. */
  readonly dashboardUrl?: string;
  stop(): Promise<void>;
}

/**
 * The all-in-one server: API server, controller manager, scheduler,
 * cluster DNS and (unless --disable-agent) this machine as a node with
 * its service proxy and ingress controller, in one process. They
 * share nothing but the API: each component is the same code `k8ts
 * apiserver|controller-manager|scheduler|kubelet` runs alone, reaching
 * the API server over loopback HTTPS with the admin credentials.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = createLogger("server");
  const api = await startApiServer({
    dataDir: opts.dataDir,
    ...(opts.datastoreEndpoint ? { datastoreEndpoint: opts.datastoreEndpoint } : {}),
    bindAddress: opts.bindAddress,
    securePort: opts.httpsListenPort,
    serviceCidr: opts.serviceCidr,
    clusterDomain: opts.clusterDomain,
    hooks: defaultHooks(),
    log: createLogger("apiserver"),
    logRequests: false,
    ...(opts.authorizationMode ? { authorizationMode: opts.authorizationMode } : {}),
  });
  const stops: (() => Promise<void>)[] = [() => api.close()];
  const stop = async () => {
    for (const s of stops.reverse())
      await s().catch((err: unknown) => log.error("stop failed", { err: String(err) }));
  };
  try {
    if (opts.writeKubeconfig) copyFileSync(api.adminKubeconfig, opts.writeKubeconfig);
    const config = loadKubeconfig({ path: api.adminKubeconfig });
    const client = (component: string) =>
      new RestClient({ ...config, userAgent: `k8ts-${component}`, qps: 200, burst: 400 });

    // The controller manager and the scheduler run under their leader Leases, as upstream's
    // do by default; `kubectl get componentstatuses` reports those Leases.
    const identity = `${hostname().toLowerCase()}_k8ts-server`;
    const cmRest = client("controller-manager");
    const cmLog = createLogger("controller-manager");
    const manager = runElected(cmRest, {
      lease: "kube-controller-manager",
      identity,
      log: cmLog,
      start: async () => {
        const m = new ControllerManager(cmRest, {
          controllers: selectControllers(["*"]),
          log: cmLog,
          config: {
            clusterCidr: opts.clusterCidr,
            localStoragePath: join(opts.dataDir, "storage"),
          },
        });
        await m.start();
        return m;
      },
    });
    stops.push(async () => {
      await manager.stop();
      cmRest.close();
    });

    const schedRest = client("scheduler");
    const schedLog = createLogger("scheduler");
    const scheduler = runElected(schedRest, {
      lease: "kube-scheduler",
      identity,
      log: schedLog,
      start: async () => {
        const s = new Scheduler(schedRest, { schedulerName: "default-scheduler", log: schedLog });
        await s.start();
        return s;
      },
    });
    stops.push(async () => {
      await scheduler.stop();
      schedRest.close();
    });

    const nodeName = opts.disableAgent ? undefined : (opts.nodeName ?? hostname().toLowerCase());
    const nodeIp = opts.nodeIp ?? defaultNodeIPs()[0] ?? "127.0.0.1";

    // Cluster DNS runs here, on the node's address; pods reach it through the kube-dns
    // Service's cluster IP, which the proxy forwards to these endpoints.
    const dnsRest = client("dns");
    const dns = new DnsServer(dnsRest, {
      host: nodeIp,
      port: opts.dnsPort ?? 53,
      clusterDomain: opts.clusterDomain,
      log: createLogger("dns"),
    });
    const dnsAddress = await dns.start();
    stops.push(async () => {
      await dns.stop();
      dnsRest.close();
    });
    const clusterDns = opts.clusterDns
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (clusterDns[0]) {
      await publishKubeDns(dnsRest, { clusterIP: clusterDns[0], nodeIp, port: dnsAddress.port });
    }

    if (nodeName) {
      const kubeletRest = client(`kubelet/${nodeName}`);
      const agent = await startAgent({
        rest: kubeletRest,
        clientCA: config.ca ? config.ca.toString() : "",
        nodeName,
        dataDir: opts.dataDir,
        clusterDns: opts.clusterDns
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        clusterDomain: opts.clusterDomain,
        ...(opts.registriesFile ? { registriesFile: opts.registriesFile } : {}),
        kubeletPort: opts.kubeletPort,
        nodeIp,
        clusterCidr: opts.clusterCidr,
        nodeLabels: { ...CONTROL_PLANE_LABELS, ...opts.nodeLabels },
        ...(opts.nodeTaints ? { taints: opts.nodeTaints } : {}),
        ...(opts.cniBridge ? { cniBridge: opts.cniBridge } : {}),
        ...(opts.cgroupRoot ? { cgroupRoot: opts.cgroupRoot } : {}),
        ...(opts.flannelBackend ? { flannelBackend: opts.flannelBackend } : {}),
        log: createLogger("kubelet"),
      });
      stops.push(async () => {
        await agent.stop();
        kubeletRest.close();
      });
    }
    if (nodeName && opts.ingress) {
      // The node's ingress controller (the role Traefik plays in k3s), serving IngressClass k8ts.
      const ingressRest = client("ingress");
      const ingress = new IngressController(ingressRest, {
        httpPort: opts.ingress.httpPort,
        httpsPort: opts.ingress.httpsPort,
        defaultClass: true,
        publishIp: nodeIp,
        log: createLogger("ingress"),
      });
      await ingress.start();
      stops.push(async () => {
        await ingress.stop();
        ingressRest.close();
      });
    }
    let dashboardUrl: string | undefined;
    if (opts.dashboardPort !== undefined) {
      // Read-only, loopback only: it reads with the admin credentials.
      const dashRest = client("dashboard");
      const dashboard = await startDashboard({
        rest: dashRest,
        address: "127.0.0.1",
        port: opts.dashboardPort,
        basePath: "/dashboard",
        log: createLogger("dashboard"),
      });
      dashboardUrl = dashboard.url;
      stops.push(async () => {
        await dashboard.stop();
        dashRest.close();
      });
    }
    return {
      url: api.url,
      adminKubeconfig: api.adminKubeconfig,
      nodeName,
      ...(dashboardUrl ? { dashboardUrl } : {}),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
