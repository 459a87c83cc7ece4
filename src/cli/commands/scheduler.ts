import type { Command } from "commander";
import { LEASES, LeaderElector, type Lease } from "../../client/leaderelection/leader-election.js";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import { ResourceClient } from "../../client/rest/resource.js";
import { Scheduler } from "../../scheduler/runner/scheduler.js";
import { createLogger } from "../../util/log.js";
import { terminationSignal } from "../signals.js";

interface SchedulerFlags {
  kubeconfig: string;
  schedulerName: string;
  leaderElect: boolean;
  leaderElectLeaseDuration: string;
  leaderElectRenewDeadline: string;
  leaderElectRetryPeriod: string;
}

/** A Go-style duration (`15s`, `500ms`, `1m`) in ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration ${JSON.stringify(text)}: use e.g. 15s, 500ms, 1m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}

export function registerScheduler(program: Command): void {
  program
    .command("scheduler")
    .description("run the scheduler: assign pending pods to nodes")
    .requiredOption("--kubeconfig <file>", "kubeconfig to reach the API server")
    .option(
      "--scheduler-name <name>",
      "schedule pods whose spec.schedulerName is this",
      "default-scheduler",
    )
    .option(
      "--leader-elect",
      "run as one of several replicas: only the Lease holder schedules",
      false,
    )
    .option("--leader-elect-lease-duration <d>", "how long a lease lasts without renewal", "15s")
    .option(
      "--leader-elect-renew-deadline <d>",
      "how long the leader tries to renew before stepping down",
      "10s",
    )
    .option("--leader-elect-retry-period <d>", "how often to try to acquire or renew", "2s")
    .action(async (flags: SchedulerFlags) => {
      const log = createLogger("scheduler");
      const stop = terminationSignal();
      const rest = new RestClient({
        ...loadKubeconfig({ path: flags.kubeconfig }),
        userAgent: "k8ts-scheduler",
      });
      let scheduler: Scheduler | undefined;
      const startScheduling = async () => {
        scheduler = new Scheduler(rest, { schedulerName: flags.schedulerName, log });
        await scheduler.start();
        log.info("scheduling", { name: flags.schedulerName });
      };
      let elector: LeaderElector | undefined;
      if (flags.leaderElect) {
        elector = new LeaderElector(new ResourceClient<Lease>(rest, LEASES), {
          namespace: "kube-system",
          name:
            flags.schedulerName === "default-scheduler" ? "kube-scheduler" : flags.schedulerName,
          leaseDurationMs: parseDuration(flags.leaderElectLeaseDuration),
          renewDeadlineMs: parseDuration(flags.leaderElectRenewDeadline),
          retryPeriodMs: parseDuration(flags.leaderElectRetryPeriod),
          onStartedLeading: () => void startScheduling(),
          onStoppedLeading: () => {
            // Like upstream, a scheduler that lost its lease exits; a supervisor restarts it.
            log.error("lost the lease, exiting");
            process.exit(1);
          },
          onNewLeader: (id) => log.info("leader", { identity: id }),
        });
        elector.start();
      } else {
        await startScheduling();
      }
      await stop.promise;
      await scheduler?.stop();
      await elector?.stop();
      rest.close();
    });
}
