import type { Command } from "commander";
import { startDashboard } from "../../dashboard/server.js";
import { createLogger } from "../../util/log.js";
import { terminationSignal } from "../signals.js";

interface DashboardFlags {
  kubeconfig: string;
  address: string;
  port: string;
}

export function registerDashboard(program: Command): void {
  program
    .command("dashboard")
    .description(
      "serve a read-only web dashboard of the cluster (overview, any resource, YAML, events, pod logs)",
    )
    .requiredOption(
      "--kubeconfig <file>",
      "kubeconfig to reach the API server; the dashboard reads with ITS credentials, so anyone who can open the page sees what they can",
    )
    .option(
      "--address <ip>",
      "address to serve plain HTTP on (keep it loopback: the page carries the kubeconfig's access)",
      "127.0.0.1",
    )
    .option("--port <port>", "port to serve on (0 picks a free one)", "8001")
    .addHelpText(
      "after",
      "\nThe dashboard only sends GET requests to the API server, with the kubeconfig's credentials.\nIt binds to loopback by default; open the printed URL in a browser on this machine.",
    )
    .action(async (flags: DashboardFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port ${JSON.stringify(flags.port)}: want 0-65535`);
      const log = createLogger("dashboard");
      const stop = terminationSignal();
      const dashboard = await startDashboard({
        kubeconfig: flags.kubeconfig,
        address: flags.address,
        port,
        log,
      });
      console.error(`k8ts dashboard is up at ${dashboard.url} (read-only)`);
      await stop.promise;
      await dashboard.stop();
    });
}
