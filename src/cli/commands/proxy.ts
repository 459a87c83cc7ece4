import { hostname } from "node:os";
import type { Command } from "commander";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import { isIPv4Cidr } from "../../proxy/ipv4.js";
import { cleanupRules, KubeProxy } from "../../proxy/proxy.js";
import { createLogger } from "../../util/log.js";
import { parseDuration } from "../duration.js";
import { terminationSignal } from "../signals.js";

interface ProxyFlags {
  kubeconfig?: string;
  hostnameOverride: string;
  clusterCidr?: string;
  cleanup?: boolean;
  iptablesMinSyncPeriod: string;
  iptablesSyncPeriod: string;
  masqueradeAll?: boolean;
  iptablesMasqueradeBit: string;
  iptablesLocalhostNodeports: string;
}

function parseBit(text: string): number {
  const bit = Number(text);
  if (!Number.isInteger(bit) || bit < 0 || bit > 31)
    throw new Error(`invalid --iptables-masquerade-bit ${JSON.stringify(text)}: use 0 to 31`);
  return bit;
}

function parseBool(flag: string, text: string): boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  throw new Error(`invalid ${flag} ${JSON.stringify(text)}: use true or false`);
}

export function registerProxy(program: Command): void {
  program
    .command("proxy")
    .description("run the service proxy: program iptables so Service IPs and NodePorts reach pods")
    .option("--kubeconfig <file>", "kubeconfig to reach the API server")
    .option(
      "--hostname-override <name>",
      "this node's name: endpoints on it are local",
      hostname().toLowerCase(),
    )
    .option(
      "--cluster-cidr <cidr>",
      "pod network; traffic to service IPs from outside it is masqueraded",
    )
    .option("--cleanup", "remove every KUBE-* chain and the jumps to them, then exit")
    .option("--iptables-min-sync-period <duration>", "least time between syncs", "1s")
    .option("--iptables-sync-period <duration>", "full resync at least this often", "30s")
    .option("--masquerade-all", "masquerade all traffic to service IPs")
    .option("--iptables-masquerade-bit <bit>", "packet mark bit that asks for SNAT", "14")
    .option(
      "--iptables-localhost-nodeports <bool>",
      "NodePorts answer on 127.0.0.1 (sets route_localnet)",
      "true",
    )
    .action(async (flags: ProxyFlags) => {
      const log = createLogger("proxy");
      if (flags.cleanup) {
        const removed = await cleanupRules();
        log.info(removed ? "removed the proxy's rules" : "no proxy rules to remove");
        return;
      }
      if (!flags.kubeconfig) throw new Error("--kubeconfig is required (unless --cleanup)");
      if (flags.clusterCidr && !isIPv4Cidr(flags.clusterCidr))
        throw new Error(`invalid --cluster-cidr ${JSON.stringify(flags.clusterCidr)}`);
      const stop = terminationSignal();
      const rest = new RestClient({
        ...loadKubeconfig({ path: flags.kubeconfig }),
        userAgent: `k8ts-proxy/${flags.hostnameOverride}`,
      });
      const proxy = new KubeProxy(rest, {
        hostname: flags.hostnameOverride,
        ...(flags.clusterCidr ? { clusterCIDR: flags.clusterCidr } : {}),
        minSyncPeriodMs: parseDuration(flags.iptablesMinSyncPeriod),
        syncPeriodMs: parseDuration(flags.iptablesSyncPeriod),
        masqueradeAll: flags.masqueradeAll ?? false,
        masqueradeBit: parseBit(flags.iptablesMasqueradeBit),
        localhostNodePorts: parseBool(
          "--iptables-localhost-nodeports",
          flags.iptablesLocalhostNodeports,
        ),
        log,
      });
      await proxy.start();
      await stop.promise;
      // Rules stay in place on exit, as upstream: established service traffic keeps flowing.
      await proxy.stop();
      rest.close();
    });
}
