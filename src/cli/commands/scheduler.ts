import type { Command } from "commander";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import { Scheduler } from "../../scheduler/runner/scheduler.js";
import { createLogger } from "../../util/log.js";
import {
  type LeaderElectionFlags,
  leaderElectionOptions,
  startLeaderElected,
} from "../leader-election.js";
import { terminationSignal } from "../signals.js";

interface SchedulerFlags extends LeaderElectionFlags {
  kubeconfig: string;
  schedulerName: string;
}

export function registerScheduler(program: Command): void {
  const cmd = program
    .command("scheduler")
    .description("run the scheduler: assign pending pods to nodes")
    .requiredOption("--kubeconfig <file>", "kubeconfig to reach the API server")
    .option(
      "--scheduler-name <name>",
      "schedule pods whose spec.schedulerName is this",
      "default-scheduler",
    );
  leaderElectionOptions(cmd, "schedules").action(async (flags: SchedulerFlags) => {
    const log = createLogger("scheduler");
    const stop = terminationSignal();
    const rest = new RestClient({
      ...loadKubeconfig({ path: flags.kubeconfig }),
      userAgent: "k8ts-scheduler",
    });
    let scheduler: Scheduler | undefined;
    const elector = await startLeaderElected(rest, {
      name: flags.schedulerName === "default-scheduler" ? "kube-scheduler" : flags.schedulerName,
      flags,
      log,
      start: async () => {
        scheduler = new Scheduler(rest, { schedulerName: flags.schedulerName, log });
        await scheduler.start();
        log.info("scheduling", { name: flags.schedulerName });
      },
    });
    await stop.promise;
    await scheduler?.stop();
    await elector?.stop();
    rest.close();
  });
}
