import type { Command } from "commander";
import { LEASES, LeaderElector, type Lease } from "../client/leaderelection/leader-election.js";
import type { RestClient } from "../client/rest/client.js";
import { ResourceClient } from "../client/rest/resource.js";
import type { Logger } from "../util/log.js";
import { parseDuration } from "./duration.js";

export interface LeaderElectionFlags {
  leaderElect: boolean;
  leaderElectLeaseDuration: string;
  leaderElectRenewDeadline: string;
  leaderElectRetryPeriod: string;
}

/** The --leader-elect* flags shared by the scheduler and the controller manager. */
export function leaderElectionOptions(cmd: Command, what: string): Command {
  return cmd
    .option(
      "--leader-elect",
      `run as one of several replicas: only the Lease holder ${what}`,
      false,
    )
    .option("--leader-elect-lease-duration <d>", "how long a lease lasts without renewal", "15s")
    .option(
      "--leader-elect-renew-deadline <d>",
      "how long the leader tries to renew before stepping down",
      "10s",
    )
    .option("--leader-elect-retry-period <d>", "how often to try to acquire or renew", "2s");
}

/**
 * Runs `start` now, or — with --leader-elect — once this process holds the
 * kube-system Lease `name`. Like upstream, a process that loses its lease
 * exits and lets its supervisor restart it — but giving the lease up on
 * a requested stop is not a loss. Returns what stops the election.
 */
export async function startLeaderElected(
  rest: RestClient,
  opts: { name: string; flags: LeaderElectionFlags; log: Logger; start: () => Promise<void> },
): Promise<{ stop(): Promise<void> } | undefined> {
  if (!opts.flags.leaderElect) {
    await opts.start();
    return undefined;
  }
  let stopping = false;
  const elector = new LeaderElector(new ResourceClient<Lease>(rest, LEASES), {
    namespace: "kube-system",
    name: opts.name,
    leaseDurationMs: parseDuration(opts.flags.leaderElectLeaseDuration),
    renewDeadlineMs: parseDuration(opts.flags.leaderElectRenewDeadline),
    retryPeriodMs: parseDuration(opts.flags.leaderElectRetryPeriod),
    onStartedLeading: () => void opts.start(),
    onStoppedLeading: () => {
      if (stopping) return;
      opts.log.error("lost the lease, exiting");
      process.exit(1);
    },
    onNewLeader: (id) => opts.log.info("leader", { identity: id }),
  });
  elector.start();
  return {
    stop: () => {
      stopping = true;
      return elector.stop();
    },
  };
}
