import type { Command } from "commander";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import {
  ControllerManager,
  selectControllers,
} from "../../controllers/manager/controller-manager.js";
import { createLogger } from "../../util/log.js";
import { parseDuration } from "../duration.js";
import {
  type LeaderElectionFlags,
  leaderElectionOptions,
  startLeaderElected,
} from "../leader-election.js";
import { terminationSignal } from "../signals.js";

interface ControllerManagerFlags extends LeaderElectionFlags {
  kubeconfig: string;
  controllers: string;
  clusterCidr: string;
  nodeCidrMaskSize: string;
  nodeMonitorGracePeriod: string;
  defaultLocalStoragePath: string;
}

export function registerControllerManager(program: Command): void {
  const cmd = program
    .command("controller-manager")
    .description("run the controllers that drive the cluster toward its desired state")
    .requiredOption("--kubeconfig <file>", "kubeconfig to reach the API server")
    .option(
      "--controllers <list>",
      "controllers to run: * for the defaults, name to add one, -name to leave one out",
      "*",
    )
    .option("--cluster-cidr <cidr>", "pod IP range nodes get their podCIDRs from", "10.42.0.0/16")
    .option("--node-cidr-mask-size <bits>", "prefix length of each node's podCIDR", "24")
    .option(
      "--node-monitor-grace-period <d>",
      "how long a node may miss heartbeats before it is marked Unknown",
      "40s",
    )
    .option(
      "--default-local-storage-path <dir>",
      "where the local-path provisioner keeps volumes on each node",
      "/var/lib/k8ts/storage",
    );
  leaderElectionOptions(cmd, "acts").action(async (flags: ControllerManagerFlags) => {
    const log = createLogger("controller-manager");
    const controllers = selectControllers(
      flags.controllers
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    const stop = terminationSignal();
    const rest = new RestClient({
      ...loadKubeconfig({ path: flags.kubeconfig }),
      userAgent: "k8ts-controller-manager",
    });
    let manager: ControllerManager | undefined;
    const elector = await startLeaderElected(rest, {
      name: "kube-controller-manager",
      flags,
      log,
      start: async () => {
        manager = new ControllerManager(rest, {
          controllers,
          log,
          config: {
            clusterCidr: flags.clusterCidr,
            nodeCidrMaskSize: Number(flags.nodeCidrMaskSize),
            nodeMonitorGracePeriodMs: parseDuration(flags.nodeMonitorGracePeriod),
            localStoragePath: flags.defaultLocalStoragePath,
          },
        });
        await manager.start();
      },
    });
    await stop.promise;
    await manager?.stop();
    await elector?.stop();
    rest.close();
  });
}
