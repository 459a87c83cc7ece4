/**
 * A consistent view of the cluster for one scheduling cycle (upstream's
 * cache Snapshot): NodeInfos in a fixed order, lookup by name, and the
 * nodes that hold pods with (anti-)affinity.
 */
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { currentAffinityGeneration, type ImageStateSummary, NodeInfo } from "./node-info.js";

interface AffinityLists {
  /** currentAffinityGeneration() when the lists were built. */
  readonly generation: number;
  readonly withAffinity: readonly NodeInfo[];
  readonly withRequiredAntiAffinity: readonly NodeInfo[];
}

export class Snapshot {
  readonly nodeInfos: readonly NodeInfo[];
  private readonly byName: ReadonlyMap<string, NodeInfo>;
  private lists: AffinityLists | undefined;

  constructor(nodeInfos: readonly NodeInfo[]) {
    this.nodeInfos = nodeInfos;
    this.byName = new Map(nodeInfos.map((n) => [n.name, n]));
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.nodeInfos.length;
  }

  /** Nodes with at least one pod that has any (anti-)affinity term. */
  havePodsWithAffinity(): readonly NodeInfo[] {
    return this.affinityLists().withAffinity;
  }

  /** Nodes with at least one pod that has a required anti-affinity term. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.affinityLists().withRequiredAntiAffinity;
  }

  /** Whether any node holds a pod with a required anti-affinity term. */
  anyPodWithRequiredAntiAffinity(): boolean {
    return this.affinityLists().withRequiredAntiAffinity.length > 0;
  }

  /** The lists above, rebuilt only after some pod with affinity came or went. */
  private affinityLists(): AffinityLists {
    const generation = currentAffinityGeneration();
    if (this.lists?.generation === generation) return this.lists;
    const withAffinity: NodeInfo[] = [];
    const withRequiredAntiAffinity: NodeInfo[] = [];
    for (const n of this.nodeInfos) {
      if (n.podsWithAffinity.length > 0) withAffinity.push(n);
      if (n.podsWithRequiredAntiAffinity.length > 0) withRequiredAntiAffinity.push(n);
    }
    this.lists = { generation, withAffinity, withRequiredAntiAffinity };
    return this.lists;
  }

  /** A snapshot with one NodeInfo swapped for another of the same name (for simulations). */
  withNodeInfo(replacement: NodeInfo): Snapshot {
    return new Snapshot(this.nodeInfos.map((n) => (n.name === replacement.name ? replacement : n)));
  }
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** Image name → summary, counting on how many of these nodes each name is present. */
function imageStates(nodes: readonly Node[]): Map<string, Map<string, ImageStateSummary>> {
  const numNodes = new Map<string, number>();
  for (const node of nodes) {
    const names = new Set((node.status?.images ?? []).flatMap((i) => i.names ?? []));
    for (const name of names) numNodes.set(name, (numNodes.get(name) ?? 0) + 1);
  }
  const out = new Map<string, Map<string, ImageStateSummary>>();
  for (const node of nodes) {
    const states = new Map<string, ImageStateSummary>();
    for (const image of node.status?.images ?? []) {
      for (const name of image.names ?? []) {
        states.set(name, { size: image.sizeBytes ?? 0, numNodes: numNodes.get(name) ?? 0 });
      }
    }
    out.set(node.metadata?.name ?? "", states);
  }
  return out;
}

/**
 * Build a snapshot from nodes and pods. Pods are placed by `spec.nodeName`;
 * unassigned pods, pods on unknown nodes and terminal pods (Succeeded,
 * Failed — upstream's scheduler never caches them) are left out.
 */
export function createSnapshot(input: {
  readonly nodes: readonly Node[];
  readonly pods?: readonly Pod[];
}): Snapshot {
  const images = imageStates(input.nodes);
  const infos = input.nodes.map((node) => {
    const name = node.metadata?.name ?? "";
    const states = images.get(name);
    return new NodeInfo(node, states ? { imageStates: states } : {});
  });
  const snapshot = new Snapshot(infos);
  for (const pod of input.pods ?? []) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || isTerminal(pod)) continue;
    snapshot.get(nodeName)?.addPod(pod);
  }
  return snapshot;
}
