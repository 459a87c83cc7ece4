import type { Node } from "kubernetes-types/core/v1.js";
import { Controller } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { NODES } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { nodePodCidrs, RangeAllocator, type RangeAllocatorOptions } from "./allocator.js";

export interface NodeIpamOptions extends Partial<RangeAllocatorOptions> {}

/**
 * Upstream's node IPAM controller with the range allocator: every Node
 * without spec.podCIDR gets the next free subnet of --cluster-cidr (one
 * per family when dual stack), written with a JSON merge patch; a deleted
 * node's subnets go back to the pool. Nothing is stored but the Nodes: on
 * start every CIDR nodes already hold is marked used before the first
 * allocation, so a restart never hands out a subnet twice.
 */
export class NodeIpamController implements RunnableController {
  private readonly controller: Controller;
  private readonly nodes: Informer<Node>;
  private readonly nodeClient: ResourceClient<Node>;
  private readonly recorder: EventRecorder;
  private readonly allocator: RangeAllocator;
  /**
   * CIDRs handed to a node (by UID) whose patch the cache has not shown
   * yet: a sync before it does patches the same ones, never new ones.
   */
  private readonly assigned = new Map<string, { uid: string; cidrs: string[] }>();
  /** Nodes that found the range full: a release gives them another try. */
  private readonly waiting = new Set<string>();

  constructor(
    private readonly ctx: ControllerContext,
    opts: NodeIpamOptions = {},
  ) {
    // An invalid range is a configuration error: thrown here, at startup.
    this.allocator = new RangeAllocator({
      clusterCidr: opts.clusterCidr ?? "10.42.0.0/16",
      nodeCidrMaskSize: opts.nodeCidrMaskSize ?? 24,
      ...(opts.nodeCidrMaskSizeIpv6 !== undefined
        ? { nodeCidrMaskSizeIpv6: opts.nodeCidrMaskSizeIpv6 }
        : {}),
    });
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.nodeClient = ctx.client(NODES);
    this.recorder = ctx.recorder("cidrAllocator");
    this.controller = new Controller({
      name: "node-ipam-controller",
      sync: (name) => this.sync(name),
      waitForSync: async () => {
        await this.nodes.waitForSync();
        for (const node of this.nodes.store.list()) this.occupy(node);
      },
      log: ctx.log,
    });
    this.nodes.addEventHandler({
      onAdd: (node) => this.controller.enqueue(objectKey(node)),
      onUpdate: (_old, node) => this.controller.enqueue(objectKey(node)),
      onDelete: (obj) => this.nodeDeleted(objectOf(obj)),
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private occupy(node: Node): void {
    const foreign = this.allocator.occupy(nodePodCidrs(node.spec));
    if (foreign.length > 0)
      this.ctx.log.warn("node podCIDR outside the cluster CIDR", {
        node: objectKey(node),
        podCIDRs: foreign.join(","),
      });
  }

  private nodeDeleted(node: Node): void {
    const name = objectKey(node);
    this.waiting.delete(name);
    const pending = this.assigned.get(name);
    const mine = pending?.uid === node.metadata?.uid ? pending : undefined;
    if (mine) this.assigned.delete(name);
    const cidrs = new Set([...nodePodCidrs(node.spec), ...(mine?.cidrs ?? [])]);
    if (cidrs.size === 0) return;
    this.allocator.release([...cidrs]);
    for (const other of this.waiting) this.controller.enqueue(other);
  }

  async sync(name: string): Promise<void> {
    const node = this.nodes.store.get(name);
    if (!node) return;
    const uid = node.metadata?.uid ?? "";
    if (nodePodCidrs(node.spec).length > 0) {
      // Idempotent: also covers nodes created with a podCIDR after start.
      this.occupy(node);
      this.assigned.delete(name);
      this.waiting.delete(name);
      return;
    }
    if (node.metadata?.deletionTimestamp) return;
    let pending = this.assigned.get(name);
    if (pending && pending.uid !== uid) {
      // A node of the same name replaced the one these were for.
      this.allocator.release(pending.cidrs);
      pending = undefined;
    }
    const cidrs = pending?.cidrs ?? this.allocator.allocate();
    if (!cidrs) {
      this.waiting.add(name);
      this.recorder.event(
        { ...node, apiVersion: "v1", kind: "Node" },
        {
          type: "Normal",
          reason: "CIDRNotAvailable",
          message: `Node ${name} status is now: CIDRNotAvailable`,
        },
      );
      this.ctx.log.warn("no pod CIDR left for node", { node: name });
      return;
    }
    this.waiting.delete(name);
    const entry = { uid, cidrs };
    this.assigned.set(name, entry);
    try {
      await this.nodeClient.patch(
        name,
        { spec: { podCIDR: cidrs[0], podCIDRs: cidrs } },
        { type: "merge" },
      );
    } catch (err) {
      if (isNotFound(err)) {
        // Unless the delete event got here first and released them already.
        if (this.assigned.get(name) === entry) {
          this.assigned.delete(name);
          this.allocator.release(cidrs);
        }
        return;
      }
      throw err; // retried with the same CIDRs
    }
    this.ctx.log.info("allocated pod CIDR", { node: name, podCIDRs: cidrs.join(",") });
  }
}
