import { isIP } from "node:net";
import type { Command } from "commander";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import { IngressController } from "../../ingress/controller.js";
import { createLogger } from "../../util/log.js";
import { terminationSignal } from "../signals.js";

interface IngressFlags {
  kubeconfig: string;
  httpPort: string;
  httpsPort: string;
  bindAddress: string;
  ingressClass: string;
  defaultClass?: boolean;
  publishIp?: string;
}

function parsePort(flag: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid ${flag} ${JSON.stringify(text)}: use 0 to 65535`);
  return port;
}

function parseIp(flag: string, text: string): string {
  if (isIP(text) === 0)
    throw new Error(`invalid ${flag} ${JSON.stringify(text)}: want an IP address`);
  return text;
}

export function registerIngress(program: Command): void {
  program
    .command("ingress")
    .description("run the ingress controller: an HTTP(S) proxy routing by Ingress host and path")
    .requiredOption("--kubeconfig <file>", "kubeconfig to reach the API server")
    .option("--http-port <port>", "plain HTTP port (0 picks one)", "80")
    .option("--https-port <port>", "HTTPS port (0 picks one)", "443")
    .option("--bind-address <ip>", "address both ports listen on", "0.0.0.0")
    .option("--ingress-class <name>", "the IngressClass served (created when missing)", "k8ts")
    .option("--default-class", "make that IngressClass the cluster default")
    .option(
      "--publish-ip <ip>",
      "address written to Ingress status (default: the bind address, or the host's first IPv4)",
    )
    .action(async (flags: IngressFlags) => {
      const log = createLogger("ingress");
      const httpPort = parsePort("--http-port", flags.httpPort);
      const httpsPort = parsePort("--https-port", flags.httpsPort);
      const bindAddress = parseIp("--bind-address", flags.bindAddress);
      const stop = terminationSignal();
      const rest = new RestClient({
        ...loadKubeconfig({ path: flags.kubeconfig }),
        userAgent: "k8ts-ingress",
      });
      const controller = new IngressController(rest, {
        httpPort,
        httpsPort,
        bindAddress,
        ingressClass: flags.ingressClass,
        defaultClass: flags.defaultClass ?? false,
        ...(flags.publishIp ? { publishIp: parseIp("--publish-ip", flags.publishIp) } : {}),
        log,
      });
      try {
        await controller.start();
        await stop.promise;
      } finally {
        await controller.stop();
        rest.close();
      }
    });
}
