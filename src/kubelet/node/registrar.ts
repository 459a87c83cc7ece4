/**
 * Registers the Node, keeps its status current and renews its Lease in
 * kube-node-lease (upstream's node status loop and node lease controller):
 * status is posted every `statusUpdateMs` when it changed and at least every
 * `statusReportMs`; the Lease is renewed every `leaseRenewMs`.
 */
import type { Node } from "kubernetes-types/core/v1.js";
import { type Lease, microTime } from "../../client/leaderelection/leader-election.js";
import { isAlreadyExists, isConflict, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import type { Logger } from "../../util/log.js";
import type { MachineInfo } from "./machine-info.js";
import {
  type Health,
  initialNode,
  type NodeOptions,
  nodeStatus,
  statusChanged,
} from "./node-object.js";

export const LEASE_NAMESPACE = "kube-node-lease";
export const LEASE_DURATION_SECONDS = 40;

export interface RegistrarOptions extends NodeOptions {
  readonly statusUpdateMs?: number;
  readonly statusReportMs?: number;
  readonly leaseRenewMs?: number;
  readonly health: () => Health;
  readonly log: Logger;
}

export class NodeRegistrar {
  private node: Node | undefined;
  private lastReport = 0;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly nodes: ResourceClient<Node>,
    private readonly leases: ResourceClient<Lease>,
    private info: MachineInfo,
    private readonly opts: RegistrarOptions,
  ) {}

  get current(): Node | undefined {
    return this.node;
  }

  /** Registers (or adopts) the Node; resolves once it exists with fresh status. */
  async register(): Promise<Node> {
    const now = Date.now();
    const want = initialNode(this.info, this.opts, now);
    let node: Node;
    try {
      node = await this.nodes.create(want);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // Keep what others set (taints by the controller, podCIDR), add our labels.
      node = await this.nodes.patch(this.opts.nodeName, {
        metadata: { labels: want.metadata?.labels ?? {} },
      });
    }
    this.node = node;
    await this.postStatus(true);
    await this.renewLease();
    return this.node;
  }

  start(): void {
    const every = (ms: number, fn: () => Promise<void>) => {
      const t = setInterval(() => {
        this.busy = this.busy
          .then(fn)
          .catch((err: unknown) => this.opts.log.warn("node status", { err: String(err) }));
      }, ms);
      t.unref?.();
      this.timers.push(t);
    };
    every(this.opts.statusUpdateMs ?? 10_000, () => this.postStatus(false));
    every(this.opts.leaseRenewMs ?? 10_000, () => this.renewLease());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.busy;
  }

  updateInfo(info: MachineInfo): void {
    this.info = info;
  }

  /** Posts status when it changed, or when the report interval passed (or `force`). */
  async postStatus(force: boolean): Promise<void> {
    if (this.stopped && !force) return;
    const now = Date.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      // Compare against the server's copy, not ours: the node lifecycle controller may
      // have set Ready=Unknown meanwhile (after a partition), and that must be corrected
      // now rather than at the next full report (upstream re-reads the node too).
      let node: Node;
      try {
        node = attempt === 0 || !this.node ? await this.nodes.get(this.opts.nodeName) : this.node;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // Deleted under us: register again, as upstream does on restart.
        this.opts.log.warn("node not found: registering it again", { node: this.opts.nodeName });
        this.node = undefined;
        await this.register();
        return;
      }
      const status = nodeStatus(this.info, this.opts, node.status, now, this.opts.health());
      const due = force || now - this.lastReport >= (this.opts.statusReportMs ?? 300_000);
      if (!due && !statusChanged(node.status, status)) return;
      try {
        this.node = await this.nodes.updateStatus({ ...node, status });
        this.lastReport = now;
        return;
      } catch (err) {
        if (isConflict(err)) {
          this.node = await this.nodes.get(this.opts.nodeName);
          continue;
        }
        if (isNotFound(err)) {
          // Deleted under us: register again, as upstream does on restart.
          this.opts.log.warn("node not found: registering it again", { node: this.opts.nodeName });
          this.node = undefined;
          await this.register();
          return;
        }
        throw err;
      }
    }
  }

  async renewLease(): Promise<void> {
    if (this.stopped) return;
    const name = this.opts.nodeName;
    const spec = {
      holderIdentity: name,
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      renewTime: microTime(Date.now()),
    };
    try {
      const lease = await this.leases.get(name, { namespace: LEASE_NAMESPACE });
      await this.leases.update({ ...lease, spec: { ...lease.spec, ...spec } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const uid = this.node?.metadata?.uid;
      const lease = {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: {
          name,
          namespace: LEASE_NAMESPACE,
          ...(uid ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid }] } : {}),
        },
        spec,
      } as Lease;
      await this.leases.create(lease, { namespace: LEASE_NAMESPACE });
    }
  }
}
