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

/**
 * Bumped whenever any NodeInfo gains or loses a pod with (anti-)affinity
 * terms, so a snapshot can keep its lists of such nodes until this moves
 * (upstream counts NodeInfo changes with one process-wide generation too).
 */
let affinityGeneration = 0;

export function currentAffinityGeneration(): number {
  return affinityGeneration;
}

function dropFrom(list: PodInfo[], info: PodInfo): void {
  const at = list.indexOf(info);
  if (at >= 0) list.splice(at, 1);
}

export class NodeInfo {
  readonly node: Node;
  readonly allocatable: Resource;
  /** Image name (every name in `status.images[].names`) → state; set by whoever builds the NodeInfo. */
  imageStates: ReadonlyMap<string, ImageStateSummary>;
  private entries: PodEntry[] = [];
  /** Kept in step with `entries` so the hot paths read them without building arrays. */
  private podList: PodInfo[] = [];
  private withAffinity: PodInfo[] = [];
  private withRequiredAntiAffinity: PodInfo[] = [];
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

  /** The pods on the node; the array changes with addPod/removePod, so copy it to keep it. */
  get pods(): readonly PodInfo[] {
    return this.podList;
  }

  get podsWithAffinity(): readonly PodInfo[] {
    return this.withAffinity;
  }

  get podsWithRequiredAntiAffinity(): readonly PodInfo[] {
    return this.withRequiredAntiAffinity;
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
    this.podList.push(info);
    if (hasAffinity(info)) {
      this.withAffinity.push(info);
      affinityGeneration++;
    }
    if (info.requiredAntiAffinityTerms.length > 0) this.withRequiredAntiAffinity.push(info);
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
    this.podList.splice(i, 1);
    if (hasAffinity(entry.info)) {
      dropFrom(this.withAffinity, entry.info);
      dropFrom(this.withRequiredAntiAffinity, entry.info);
      affinityGeneration++;
    }
    subtractResource(this.req, entry.requested);
    subtractResource(this.nonZeroReq, entry.nonZero);
    for (const p of podHostPorts(entry.info.pod)) this.ports.remove(p);
    return true;
  }

  clone(): NodeInfo {
    const copy = new NodeInfo(this.node, { imageStates: this.imageStates });
    copy.entries = [...this.entries];
    copy.podList = [...this.podList];
    copy.withAffinity = [...this.withAffinity];
    copy.withRequiredAntiAffinity = [...this.withRequiredAntiAffinity];
    Object.assign(copy.req, cloneResource(this.req));
    Object.assign(copy.nonZeroReq, cloneResource(this.nonZeroReq));
    for (const e of this.entries) for (const p of podHostPorts(e.info.pod)) copy.ports.add(p);
    return copy;
  }
}
