import type { Command } from "commander";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import {
  ControllerManager,
  selectControllers,
} from "../../controllers/manager/controller-manager.js";
import { createLogger } from "../../util/log.js";
import {
  type LeaderElectionFlags,
  leaderElectionOptions,
  startLeaderElected,
} from "../leader-election.js";
import { terminationSignal } from "../signals.js";

interface ControllerManagerFlags extends LeaderElectionFlags {
  kubeconfig: string;
  controllers: string;
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
        manager = new ControllerManager(rest, { controllers, log });
        await manager.start();
      },
    });
    await stop.promise;
    await manager?.stop();
    await elector?.stop();
    rest.close();
  });
}
