import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { Controller } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { LEASES, type Lease } from "../../client/leaderelection/leader-election.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { podInformer } from "../common/informers.js";
import { NODES, PODS } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { isNodeReady, readyCondition, unknownConditions } from "./conditions.js";
import { isStale, type NodeHealth, observeHealth } from "./health.js";
import { notReadyPatch } from "./pods.js";
import { PodsByNode } from "./pods-by-node.js";
import { noExecuteWant, reconcileTaints } from "./taints.js";
import { type EvictionRates, ZoneRateLimiter, zoneHealths, zoneKey, zoneRate } from "./zones.js";

/** Where kubelets renew their Leases. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

export interface NodeLifecycleOptions {
  /** How long a node may go without a heartbeat before it is Unknown (--node-monitor-grace-period, 40 s). */
  readonly gracePeriodMs?: number;
  /** How often every node's health is checked (--node-monitor-period, 5 s). */
  readonly monitorPeriodMs?: number;
  /** The grace for a node whose kubelet never posted Ready (--node-startup-grace-period, 60 s). */
  readonly startupGracePeriodMs?: number;
  /** Nodes per second per zone that get a NoExecute taint (--node-eviction-rate, 0.1). */
  readonly evictionRate?: number;
  /** The same in a partially disrupted large zone (--secondary-node-eviction-rate, 0.01). */
  readonly secondaryEvictionRate?: number;
  /** Zones above this many nodes are large (--large-cluster-size-threshold, 50). */
  readonly largeClusterThreshold?: number;
  /** Share of not-Ready nodes that makes a zone partially disrupted (--unhealthy-zone-threshold, 0.55). */
  readonly unhealthyZoneThreshold?: number;
}

/** Nodes whose pods still have to be marked not Ready: all of them, or just these pod keys. */
type PodsToMark = "all" | ReadonlySet<string>;

/**
 * Upstream's node lifecycle controller: watches Nodes and their Leases in
 * kube-node-lease; a node whose kubelet has posted neither for the grace
 * period gets its kubelet conditions set to Unknown and, if it was Ready,
 * its pods marked not Ready. Every node's taints follow its conditions:
 * NoSchedule ones for scheduling (TaintNodesByCondition) and a NoExecute
 * not-ready/unreachable taint, rate-limited per zone, that the taint
 * eviction controller acts on. A periodic pass re-checks every node (a
 * silent node sends no events) and recomputes zone disruption.
 */
export class NodeLifecycleController implements RunnableController {
  private readonly controller: Controller;
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly podsByNode: PodsByNode;
  private readonly nodeClient: ResourceClient<Node>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly gracePeriodMs: number;
  private readonly startupGracePeriodMs: number;
  private readonly monitorPeriodMs: number;
  private readonly unhealthyZoneThreshold: number;
  private readonly rates: EvictionRates;
  private readonly limiter: ZoneRateLimiter;
  private readonly health = new Map<string, NodeHealth>();
  private readonly toMark = new Map<string, PodsToMark>();
  private allZonesDisrupted = false;
  private cancelMonitor: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: ControllerContext,
    opts: NodeLifecycleOptions = {},
  ) {
    this.gracePeriodMs = opts.gracePeriodMs ?? 40_000;
    this.startupGracePeriodMs = opts.startupGracePeriodMs ?? 60_000;
    this.monitorPeriodMs = opts.monitorPeriodMs ?? 5_000;
    this.unhealthyZoneThreshold = opts.unhealthyZoneThreshold ?? 0.55;
    this.rates = {
      rate: opts.evictionRate ?? 0.1,
      secondaryRate: opts.secondaryEvictionRate ?? 0.01,
      largeClusterThreshold: opts.largeClusterThreshold ?? 50,
    };
    this.limiter = new ZoneRateLimiter(this.rates.rate);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.leases = ctx.informers.informerFor<Lease>(LEASES);
    this.pods = podInformer(ctx);
    this.podsByNode = new PodsByNode(this.pods);
    this.nodeClient = ctx.client(NODES);
    this.podClient = ctx.client(PODS);
    this.recorder = ctx.recorder("node-controller");
    this.controller = new Controller({
      name: "node-lifecycle-controller",
      sync: (name) => this.sync(name),
      waitForSync: async () => {
        await Promise.all([
          this.nodes.waitForSync(),
          this.leases.waitForSync(),
          this.pods.waitForSync(),
        ]);
        // Zone states before the first node sync: a cluster that starts fully disrupted taints nothing.
        this.updateZones();
      },
      log: ctx.log,
    });
    this.nodes.addEventHandler({
      onAdd: (node) => this.controller.enqueue(objectKey(node)),
      onUpdate: (_old, node) => this.controller.enqueue(objectKey(node)),
      onDelete: (obj) => {
        const name = objectKey(objectOf(obj));
        this.health.delete(name);
        this.toMark.delete(name);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podBound(undefined, pod),
      onUpdate: (old, pod) => this.podBound(old, pod),
    });
  }

  async run(workers: number): Promise<void> {
    await this.controller.run(workers);
    if (this.stopped) return;
    this.cancelMonitor = this.ctx.clock.setTimeout(() => this.monitor(), this.monitorPeriodMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelMonitor?.();
    await this.controller.stop();
  }

  /** The periodic pass: zone states, then every node looked at again. */
  private monitor(): void {
    if (this.stopped) return;
    this.updateZones();
    for (const node of this.nodes.store.list()) this.controller.enqueue(objectKey(node));
    this.cancelMonitor = this.ctx.clock.setTimeout(() => this.monitor(), this.monitorPeriodMs);
  }

  private updateZones(): void {
    const now = this.ctx.clock.now();
    const zones = zoneHealths(this.nodes.store.list(), this.unhealthyZoneThreshold);
    const all = zones.size > 0 && [...zones.values()].every((z) => z.state === "FullDisruption");
    if (all && !this.allZonesDisrupted) {
      this.ctx.log.warn("no node is Ready: NoExecute tainting stopped (control plane disruption?)");
    }
    if (!all && this.allZonesDisrupted) {
      // Out of a control-plane-wide outage every node gets a fresh grace period, as upstream.
      this.ctx.log.info("some nodes are Ready again: NoExecute tainting resumed");
      for (const [name, h] of this.health) this.health.set(name, { ...h, probeAt: now });
    }
    this.allZonesDisrupted = all;
    for (const [zone, h] of zones)
      this.limiter.setRate(zone, { qps: all ? 0 : zoneRate(h, this.rates), now });
    this.limiter.retain(new Set(zones.keys()));
  }

  /** A pod newly bound to a node that is not Ready is marked not Ready too (upstream's processPod). */
  private podBound(old: Pod | undefined, pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || old?.spec?.nodeName === nodeName) return;
    const node = this.nodes.store.get(nodeName);
    if (!node || !readyCondition(node) || isNodeReady(node)) return;
    const pending = this.toMark.get(nodeName);
    if (pending === "all") return;
    // A new set each time: sync() tells by identity whether more arrived while it worked.
    this.toMark.set(nodeName, new Set([...(pending ?? []), objectKey(pod)]));
    this.controller.enqueue(nodeName);
  }

  async sync(name: string): Promise<void> {
    const cached = this.nodes.store.get(name);
    if (!cached) {
      this.health.delete(name);
      this.toMark.delete(name);
      return;
    }
    const now = this.ctx.clock.now();
    const lease = this.leases.store.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    const health = observeHealth(this.health.get(name), { node: cached, lease, now });
    this.health.set(name, health);
    let node = cached;
    if (
      isStale(health, {
        node,
        now,
        gracePeriodMs: this.gracePeriodMs,
        startupGracePeriodMs: this.startupGracePeriodMs,
      })
    ) {
      node = await this.markUnknown(node, now);
    }
    node = await this.reconcileTaints(node, now);
    await this.markPodsNotReady(node, now);
  }

  /** Declares the kubelet's conditions Unknown; a node that was Ready has its pods marked. */
  private async markUnknown(node: Node, now: number): Promise<Node> {
    const conditions = unknownConditions(node, now);
    if (!conditions) return node;
    const name = node.metadata?.name ?? "";
    const wasReady = isNodeReady(node);
    const updated = await this.nodeClient.updateStatus({
      ...node,
      status: { ...node.status, conditions },
    });
    this.ctx.log.info("node stopped posting status", { node: name });
    if (wasReady) {
      this.recorder.event(nodeRef(updated), {
        type: "Normal",
        reason: "NodeNotReady",
        message: `Node ${name} status is now: NodeNotReady`,
      });
      this.toMark.set(name, "all");
    }
    return updated;
  }

  private async reconcileTaints(node: Node, now: number): Promise<Node> {
    const zone = zoneKey(node);
    const noExecute = noExecuteWant(node, {
      allZonesDisrupted: this.allZonesDisrupted,
      mayAdd: () => this.limiter.tryTake(zone, now),
    });
    const taints = reconcileTaints(node, { noExecute, now });
    if (!taints) return node;
    return this.nodeClient.update({ ...node, spec: { ...node.spec, taints } });
  }

  private async markPodsNotReady(node: Node, now: number): Promise<void> {
    const name = node.metadata?.name ?? "";
    const pending = this.toMark.get(name);
    if (!pending) return;
    if (isNodeReady(node)) {
      this.toMark.delete(name);
      return;
    }
    const pods = this.podsByNode
      .podsOn(name)
      .filter((p) => pending === "all" || pending.has(objectKey(p)));
    const results = await Promise.allSettled(pods.map((pod) => this.markPodNotReady(pod, now)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    // Kept on failure so the retry marks the rest; dropped only if nothing new arrived meanwhile.
    if (failed) throw failed.reason;
    if (this.toMark.get(name) === pending) this.toMark.delete(name);
  }

  private async markPodNotReady(pod: Pod, now: number): Promise<void> {
    const patch = notReadyPatch(pod, now);
    if (!patch) return;
    try {
      await this.podClient.patch(pod.metadata?.name ?? "", patch, {
        namespace: pod.metadata?.namespace ?? "",
        subresource: "status",
        type: "strategic",
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    this.recorder.event(
      { ...pod, apiVersion: "v1", kind: "Pod" },
      { type: "Warning", reason: "NodeNotReady", message: "Node is not ready" },
    );
  }
}

/** The node as events see it (informer objects carry no kind). */
function nodeRef(node: Node): Node {
  return { ...node, apiVersion: "v1", kind: "Node" };
}
