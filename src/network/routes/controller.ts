/**
 * host-gw routes between nodes, as flannel's host-gw backend keeps them:
 * a Node informer feeds a coalescing sync (the proxy's SyncRunner) that
 * reads this host's subnets and route table, computes the routes every
 * other node's pods need, and writes the difference. It re-syncs
 * periodically too, so a route removed behind its back comes back. Only
 * routes carrying k8ts' protocol tag are ever changed or deleted. Given
 * the cluster CIDR, it also writes the pod traffic rules (pod-traffic.ts)
 * once, on the first sync that can.
 */
import type { Node } from "kubernetes-types/core/v1.js";
import { SharedInformerFactory } from "../../client/informer/factory.js";
import type { Informer } from "../../client/informer/informer.js";
import type { RestClient } from "../../client/rest/client.js";
import type { ResourceRef } from "../../client/rest/resource.js";
import type { Clock } from "../../client/util/clock.js";
import { type CommandRunner, hostRunner, netnsRunner } from "../../proxy/exec.js";
import { InformedSync } from "../../proxy/informed-sync.js";
import { Iptables } from "../../proxy/iptables.js";
import { SyncRunner } from "../../proxy/sync-runner.js";
import { createLogger, type Logger } from "../../util/log.js";
import { desiredRoutes } from "./desired.js";
import { diffRoutes } from "./diff.js";
import { IpRoutes } from "./ip-route.js";
import { POD_TRAFFIC_JUMPS, podTrafficRules } from "./pod-traffic.js";

const NODES: ResourceRef = { group: "", version: "v1", resource: "nodes", namespaced: false };

export interface RouteControllerOptions {
  /** This node's name: its own pod range gets no route. */
  readonly nodeName: string;
  /**
   * The pod network: pod to pod keeps its source, pod traffic leaving it is
   * masqueraded and forwarded (default: no such rules; the bridge's ipMasq
   * must then do the masquerading).
   */
  readonly clusterCIDR?: string;
  /** Work in this named network namespace (tests; default: the host's). */
  readonly netns?: string;
  /** Runs `ip` and iptables (default: a child process on this host). */
  readonly runner?: CommandRunner;
  /** Least time between syncs after a burst of changes (default 500 ms). */
  readonly minSyncPeriodMs?: number;
  /** A full check at least this often (default 10000 ms, flannel's route check period). */
  readonly syncPeriodMs?: number;
  readonly log?: Logger;
  readonly clock?: Clock;
}

/** What of a Node its route depends on: heartbeats and label changes need no sync. */
function routeFingerprint(node: Node): string {
  return JSON.stringify([
    node.spec?.podCIDR,
    node.spec?.podCIDRs,
    node.status?.addresses?.filter((a) => a.type === "InternalIP"),
    node.metadata?.deletionTimestamp,
  ]);
}

export class RouteController {
  private readonly log: Logger;
  private readonly ip: IpRoutes;
  private readonly iptables: Iptables;
  private podTrafficWritten = false;
  private readonly nodes: Informer<Node>;
  private readonly loop: InformedSync;
  private reported = new Map<string, string>();
  private syncs = 0;

  constructor(
    rest: RestClient,
    private readonly opts: RouteControllerOptions,
  ) {
    this.log = opts.log ?? createLogger("routes");
    this.ip = new IpRoutes({
      ...(opts.netns ? { netns: opts.netns } : {}),
      ...(opts.runner ? { runner: opts.runner } : {}),
    });
    const runner = opts.runner ?? hostRunner;
    this.iptables = new Iptables(opts.netns ? netnsRunner(opts.netns, runner) : runner);
    const factory = new SharedInformerFactory(rest, opts.clock ? { clock: opts.clock } : {});
    this.nodes = factory.informerFor<Node>(NODES);
    const syncer = new SyncRunner(() => this.sync(), {
      minIntervalMs: opts.minSyncPeriodMs ?? 500,
      maxIntervalMs: opts.syncPeriodMs ?? 10_000,
      ...(opts.clock ? { clock: opts.clock } : {}),
      onError: (err) => this.log.error("route sync failed; will retry", { error: String(err) }),
    });
    this.loop = new InformedSync(factory, syncer);
    const kick = () => syncer.run();
    this.nodes.addEventHandler({
      onAdd: kick,
      onUpdate: (a, b) => {
        if (routeFingerprint(a) !== routeFingerprint(b)) kick();
      },
      onDelete: kick,
    });
  }

  /** Syncs completed since start. */
  get syncCount(): number {
    return this.syncs;
  }

  /** Fills the node cache and starts syncing (the first sync is under way when this resolves). */
  async start(): Promise<void> {
    await this.loop.start();
  }

  /** Resolves once every change seen so far is in the route table. */
  settled(): Promise<void> {
    return this.loop.settled();
  }

  /** Stops watching; the routes stay, so pod traffic keeps flowing across a restart. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async sync(): Promise<void> {
    if (this.opts.clusterCIDR && !this.podTrafficWritten) {
      await this.iptables.restore(podTrafficRules(this.opts.clusterCIDR));
      // Below kube-proxy's jumps, also where an older k8ts left them on top.
      await this.iptables.moveJumpsLast(POD_TRAFFIC_JUMPS);
      this.podTrafficWritten = true;
      this.log.info("pod traffic rules written", { clusterCIDR: this.opts.clusterCIDR });
    }
    const [subnets, table] = await Promise.all([this.ip.subnets(), this.ip.table()]);
    const { routes, skipped } = desiredRoutes(this.nodes.store.list(), {
      self: this.opts.nodeName,
      subnets,
      foreignDsts: table.foreignDsts,
    });
    this.reportSkipped(skipped);
    const changes = diffRoutes(routes, table.ours);
    const failures: string[] = [];
    for (const route of changes.remove) {
      await this.ip.delete(route).then(
        () => this.log.info("route removed", { dst: route.dst, via: route.via }),
        (err: unknown) => failures.push(String(err)),
      );
    }
    for (const route of changes.apply) {
      await this.ip.replace(route).then(
        () => this.log.info("route set", { dst: route.dst, via: route.via, node: route.node }),
        (err: unknown) => failures.push(String(err)),
      );
    }
    // One bad route must not hold up the others; the sync still fails so it is retried.
    if (failures.length > 0) throw new Error(`route changes failed: ${failures.join("; ")}`);
    this.syncs++;
  }

  /** Logs why a node gets no route once per reason, not on every periodic sync. */
  private reportSkipped(skipped: readonly { node: string; reason: string }[]): void {
    const now = new Map<string, string>();
    for (const s of skipped) now.set(`${s.node}\0${s.reason}`, s.node);
    for (const [key, node] of now)
      if (!this.reported.has(key))
        this.log.warn("no route to node's pods", { node, reason: key.split("\0")[1] });
    this.reported = now;
  }
}
