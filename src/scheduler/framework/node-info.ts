/**
 * Everything the scheduler knows about one node (upstream's
 * framework.NodeInfo): the Node, the pods assigned to it, what they request,
 * the host ports they hold, and the images present. Mutable only through
 * addPod/removePod so the aggregates stay consistent; clone() before
 * simulating (preemption does).
 */
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { HostPortInfo, podHostPorts } from "./host-ports.js";
import { hasAffinity, newPodInfo, type PodInfo, podKey } from "./pod-info.js";
import {
  addResource,
  cloneResource,
  computePodResourceRequest,
  emptyResource,
  nodeAllocatable,
  type Resource,
  subtractResource,
} from "./resource.js";

/** An image on a node: its size and on how many nodes of the cluster it is. */
export interface ImageStateSummary {
  readonly size: number;
  readonly numNodes: number;
}

interface PodEntry {
  readonly info: PodInfo;
  readonly requested: Resource;
  readonly nonZero: Resource;
}

export class NodeInfo {
  readonly node: Node;
  readonly allocatable: Resource;
  /** Image name (every name in `status.images[].names`) → state; set by the snapshot. */
  imageStates: ReadonlyMap<string, ImageStateSummary>;
  private entries: PodEntry[] = [];
  private readonly req: Resource = emptyResource();
  private readonly nonZeroReq: Resource = emptyResource();
  private readonly ports = new HostPortInfo();

  constructor(node: Node, opts: { imageStates?: ReadonlyMap<string, ImageStateSummary> } = {}) {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.imageStates = opts.imageStates ?? new Map();
  }

  get name(): string {
    return this.node.metadata?.name ?? "";
  }

  get labels(): Readonly<Record<string, string>> {
    return this.node.metadata?.labels ?? {};
  }

  get pods(): readonly PodInfo[] {
    return this.entries.map((e) => e.info);
  }

  get podsWithAffinity(): readonly PodInfo[] {
    return this.pods.filter(hasAffinity);
  }

  get podsWithRequiredAntiAffinity(): readonly PodInfo[] {
    return this.pods.filter((p) => p.requiredAntiAffinityTerms.length > 0);
  }

  /** Sum of the pods' requests (upstream's Requested). */
  get requested(): Readonly<Resource> {
    return this.req;
  }

  /** Sum of the pods' requests with 100m/200Mi defaults for containers without (for scoring). */
  get nonZeroRequested(): Readonly<Resource> {
    return this.nonZeroReq;
  }

  get usedPorts(): HostPortInfo {
    return this.ports;
  }

  addPod(pod: Pod | PodInfo): void {
    const info = "key" in pod && "pod" in pod ? pod : newPodInfo(pod);
    const entry: PodEntry = {
      info,
      requested: computePodResourceRequest(info.pod),
      nonZero: computePodResourceRequest(info.pod, { nonZero: true }),
    };
    this.entries.push(entry);
    addResource(this.req, entry.requested);
    addResource(this.nonZeroReq, entry.nonZero);
    for (const p of podHostPorts(info.pod)) this.ports.add(p);
  }

  /** Remove a pod by its key (UID or namespace/name); false if it was not here. */
  removePod(pod: Pod): boolean {
    const key = podKey(pod);
    const i = this.entries.findIndex((e) => e.info.key === key);
    const entry = this.entries[i];
    if (entry === undefined) return false;
    this.entries.splice(i, 1);
    subtractResource(this.req, entry.requested);
    subtractResource(this.nonZeroReq, entry.nonZero);
    for (const p of podHostPorts(entry.info.pod)) this.ports.remove(p);
    return true;
  }

  clone(): NodeInfo {
    const copy = new NodeInfo(this.node, { imageStates: this.imageStates });
    copy.entries = [...this.entries];
    Object.assign(copy.req, cloneResource(this.req));
    Object.assign(copy.nonZeroReq, cloneResource(this.nonZeroReq));
    for (const e of this.entries) for (const p of podHostPorts(e.info.pod)) copy.ports.add(p);
    return copy;
  }
}
