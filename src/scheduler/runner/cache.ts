import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { type ImageStateSummary, NodeInfo } from "../framework/node-info.js";
import { Snapshot } from "../framework/snapshot.js";

const isTerminal = (pod: Pod) =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
const keyOf = (pod: Pod) => `${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}`;

/** One image across the cluster: its size and the nodes holding it. */
interface ImageEntry {
  /** Shared by the NodeInfos of every node holding the image, so numNodes stays current. */
  readonly summary: { size: number; numNodes: number };
  readonly nodes: Set<string>;
}

/**
 * The scheduler's cache, kept in step with the informers instead of being
 * rebuilt every cycle: a NodeInfo per node with the pods placed on it
 * (bound ones, and ones this scheduler assumed until the informer shows
 * them bound), and where each image is for ImageLocality. NodeInfos
 * change in place; a cycle's snapshot is only re-made when the set of
 * nodes changes. Scheduling cycles are synchronous, so no event lands in
 * the middle of one.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Image name (every name in `status.images[].names`) → where it is, for ImageLocality. */
  private readonly images = new Map<string, ImageEntry>();
  /** Where each pod is counted: key → pod as placed. */
  private readonly placed = new Map<string, Pod>();
  private readonly assumed = new Set<string>();
  private snapshotCache: Snapshot | undefined;

  snapshot(): Snapshot {
    if (!this.snapshotCache) this.snapshotCache = new Snapshot([...this.nodes.values()]);
    return this.snapshotCache;
  }

  upsertNode(node: Node): void {
    const name = node.metadata?.name ?? "";
    const previous = this.nodes.get(name);
    if (previous) this.forgetImages(previous.node);
    const info = new NodeInfo(node, { imageStates: this.rememberImages(node) });
    for (const pod of this.placed.values()) if (pod.spec?.nodeName === name) info.addPod(pod);
    this.nodes.set(name, info);
    this.snapshotCache = undefined;
  }

  removeNode(name: string): void {
    const previous = this.nodes.get(name);
    if (previous) this.forgetImages(previous.node);
    this.nodes.delete(name);
    this.snapshotCache = undefined;
  }

  /** Counts the node's images (upstream's first-seen size per name); returns its image states. */
  private rememberImages(node: Node): Map<string, ImageStateSummary> {
    const name = node.metadata?.name ?? "";
    const states = new Map<string, ImageStateSummary>();
    for (const image of node.status?.images ?? []) {
      for (const imageName of image.names ?? []) {
        let entry = this.images.get(imageName);
        if (!entry) {
          entry = { summary: { size: image.sizeBytes ?? 0, numNodes: 0 }, nodes: new Set() };
          this.images.set(imageName, entry);
        }
        entry.nodes.add(name);
        entry.summary.numNodes = entry.nodes.size;
        states.set(imageName, entry.summary);
      }
    }
    return states;
  }

  private forgetImages(node: Node): void {
    const name = node.metadata?.name ?? "";
    for (const image of node.status?.images ?? []) {
      for (const imageName of image.names ?? []) {
        const entry = this.images.get(imageName);
        if (!entry) continue;
        entry.nodes.delete(name);
        entry.summary.numNodes = entry.nodes.size;
        if (entry.nodes.size === 0) this.images.delete(imageName);
      }
    }
  }

  /** A pod from the informer: counted on its node while bound and not finished. */
  upsertPod(pod: Pod): void {
    const key = keyOf(pod);
    const bound = pod.spec?.nodeName && !isTerminal(pod);
    const previous = this.placed.get(key);
    if (previous) {
      this.nodes.get(previous.spec?.nodeName ?? "")?.removePod(previous);
      this.placed.delete(key);
    }
    this.assumed.delete(key);
    if (bound) {
      this.placed.set(key, pod);
      this.nodes.get(pod.spec?.nodeName ?? "")?.addPod(pod);
    }
  }

  removePod(pod: Pod): void {
    const key = keyOf(pod);
    const previous = this.placed.get(key);
    if (!previous) return;
    this.nodes.get(previous.spec?.nodeName ?? "")?.removePod(previous);
    this.placed.delete(key);
    this.assumed.delete(key);
  }

  /** Counts the pod on `node` at once, so the next cycle sees it, before the binding is confirmed. */
  assume(pod: Pod, node: string): void {
    const placed: Pod = { ...pod, spec: { ...(pod.spec ?? { containers: [] }), nodeName: node } };
    this.upsertPod(placed);
    this.assumed.add(keyOf(pod));
  }

  /** The binding failed: stop counting the assumed pod. */
  forget(pod: Pod): void {
    if (this.assumed.has(keyOf(pod))) this.removePod(pod);
  }
}
