import type { Command } from "commander";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import { DnsServer } from "../../dns/server.js";
import { createLogger } from "../../util/log.js";
import { terminationSignal } from "../signals.js";

interface DnsFlags {
  kubeconfig: string;
  listen: string;
  clusterDomain: string;
  upstream?: string;
  resolvConf: string;
}

/** Splits `HOST:PORT` or `[IPv6]:PORT`. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen.trim());
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--listen ${JSON.stringify(listen)}: want HOST:PORT`);
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port };
}

export function registerDns(program: Command): void {
  program
    .command("dns")
    .description("serve cluster DNS: Service and pod names, other names forwarded upstream")
    .requiredOption("--kubeconfig <file>", "kubeconfig to reach the API server")
    .option(
      "--listen <host:port>",
      "UDP and TCP address to serve on (port 0 picks one)",
      "0.0.0.0:53",
    )
    .option("--cluster-domain <domain>", "the cluster DNS domain", "cluster.local")
    .option(
      "--upstream <list>",
      "comma-separated resolvers (IP[:PORT]) for other names; default: resolv.conf's nameservers",
    )
    .option("--resolv-conf <file>", "where default upstreams are read from", "/etc/resolv.conf")
    .action(async (flags: DnsFlags) => {
      const log = createLogger("dns");
      const listen = parseListen(flags.listen);
      const stop = terminationSignal();
      const rest = new RestClient({
        ...loadKubeconfig({ path: flags.kubeconfig }),
        userAgent: "k8ts-dns",
      });
      const server = new DnsServer(rest, {
        ...listen,
        clusterDomain: flags.clusterDomain,
        resolvConf: flags.resolvConf,
        ...(flags.upstream
          ? {
              upstreams: flags.upstream
                .split(",")
                .map((s) => s.trim())
                .filter(Boolean),
            }
          : {}),
        log,
      });
      await server.start();
      await stop.promise;
      await server.stop();
      rest.close();
    });
}
