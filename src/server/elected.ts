import { LEASES, LeaderElector, type Lease } from "../client/leaderelection/leader-election.js";
import type { RestClient } from "../client/rest/client.js";
import { ResourceClient } from "../client/rest/resource.js";
import type { Logger } from "../util/log.js";

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Runs a component only while this process holds its kube-system Lease,
 * as upstream's scheduler and controller manager do by default
 * (--leader-elect); `kubectl get componentstatuses` reads these Leases.
 * Unlike upstream, losing the lease does not exit the whole server: the
 * component stops, and a fresh one starts if the lease comes back.
 * The identity is stable across restarts, so a server killed without
 * releasing its lease takes it back at once instead of waiting it out.
 */
export function runElected(
  rest: RestClient,
  opts: {
    readonly lease: string;
    readonly identity: string;
    readonly log: Logger;
    readonly start: () => Promise<Stoppable>;
  },
): Stoppable {
  const { log } = opts;
  // Starts and stops run one after another, in the order the elector asked for them.
  let current: Promise<Stoppable | undefined> = Promise.resolve(undefined);
  const step = (fn: (running: Stoppable | undefined) => Promise<Stoppable | undefined>) => {
    current = current.then(fn).catch((err: unknown) => {
      log.error("leader-elected component failed", { lease: opts.lease, err: String(err) });
      return undefined;
    });
  };
  let stopping = false;
  const elector = new LeaderElector(new ResourceClient<Lease>(rest, LEASES), {
    namespace: "kube-system",
    name: opts.lease,
    identity: opts.identity,
    onStartedLeading: () => {
      log.info("leading: starting", { lease: opts.lease });
      step(async (running) => running ?? (await opts.start()));
    },
    onStoppedLeading: () =>
      step(async (running) => {
        if (!stopping)
          log.error("lost the lease: stopping until it is back", { lease: opts.lease });
        await running?.stop();
        return undefined;
      }),
  });
  elector.start();
  return {
    async stop() {
      stopping = true;
      await elector.stop(); // releases the lease; onStoppedLeading stops a running component
      step(async (running) => {
        await running?.stop();
        return undefined;
      });
      await current;
    },
  };
}
