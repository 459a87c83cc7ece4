/**
 * Every in-tree plugin by name (upstream's NewInTreeRegistry), and the
 * default profile: filters in upstream's order, scorers with upstream's
 * default weights.
 */
import type { FilterPlugin, Plugin, Profile, ScorePlugin } from "../framework/interface.js";
import { imageLocality } from "./image-locality/plugin.js";
import { interPodAffinity } from "./inter-pod-affinity/plugin.js";
import { type PluginName, PluginNames } from "./names.js";
import { nodeAffinity } from "./node-affinity/plugin.js";
import { nodeName } from "./node-name/plugin.js";
import { nodePorts } from "./node-ports/plugin.js";
import { nodeResourcesBalancedAllocation, nodeResourcesFit } from "./node-resources/plugin.js";
import { nodeUnschedulable } from "./node-unschedulable/plugin.js";
import { podTopologySpread } from "./pod-topology-spread/plugin.js";
import { taintToleration } from "./taint-toleration/plugin.js";
import { volumeBinding } from "./volume-binding/plugin.js";

export const inTreeRegistry: Readonly<Record<PluginName, () => Plugin>> = {
  [PluginNames.NodeUnschedulable]: nodeUnschedulable,
  [PluginNames.NodeName]: nodeName,
  [PluginNames.TaintToleration]: taintToleration,
  [PluginNames.NodeAffinity]: nodeAffinity,
  [PluginNames.NodePorts]: nodePorts,
  [PluginNames.NodeResourcesFit]: () => nodeResourcesFit(),
  [PluginNames.VolumeBinding]: volumeBinding,
  [PluginNames.PodTopologySpread]: podTopologySpread,
  [PluginNames.InterPodAffinity]: () => interPodAffinity(),
  [PluginNames.NodeResourcesBalancedAllocation]: () => nodeResourcesBalancedAllocation(),
  [PluginNames.ImageLocality]: imageLocality,
};

/** Filter order of upstream's default profile. */
export const DEFAULT_FILTERS: readonly PluginName[] = [
  PluginNames.NodeUnschedulable,
  PluginNames.NodeName,
  PluginNames.TaintToleration,
  PluginNames.NodeAffinity,
  PluginNames.NodePorts,
  PluginNames.NodeResourcesFit,
  PluginNames.VolumeBinding,
  PluginNames.PodTopologySpread,
  PluginNames.InterPodAffinity,
];

/** Score weights of upstream's default profile. */
export const DEFAULT_SCORE_WEIGHTS: Readonly<Partial<Record<PluginName, number>>> = {
  [PluginNames.TaintToleration]: 3,
  [PluginNames.NodeAffinity]: 2,
  [PluginNames.NodeResourcesFit]: 1,
  [PluginNames.PodTopologySpread]: 2,
  [PluginNames.InterPodAffinity]: 2,
  [PluginNames.NodeResourcesBalancedAllocation]: 1,
  [PluginNames.ImageLocality]: 1,
};

function isFilter(p: Plugin): p is FilterPlugin {
  return typeof (p as Partial<FilterPlugin>).filter === "function";
}

function isScorer(p: Plugin): p is ScorePlugin {
  return typeof (p as Partial<ScorePlugin>).score === "function";
}

export interface ProfileOptions {
  /** Filters to run, in order; default DEFAULT_FILTERS. */
  readonly filters?: readonly PluginName[];
  /** Scorers and weights; default DEFAULT_SCORE_WEIGHTS. */
  readonly scoreWeights?: Readonly<Partial<Record<PluginName, number>>>;
}

/** Build a profile from the registry; one instance per plugin shared by both roles. */
export function buildProfile(opts: ProfileOptions = {}): Profile {
  const instances = new Map<PluginName, Plugin>();
  const instance = (name: PluginName): Plugin => {
    let p = instances.get(name);
    if (!p) {
      p = inTreeRegistry[name]();
      instances.set(name, p);
    }
    return p;
  };
  const filters = (opts.filters ?? DEFAULT_FILTERS).map(instance).filter(isFilter);
  const weights = opts.scoreWeights ?? DEFAULT_SCORE_WEIGHTS;
  const scorers: { plugin: ScorePlugin; weight: number }[] = [];
  for (const [name, weight] of Object.entries(weights) as [PluginName, number][]) {
    const plugin = instance(name);
    if (isScorer(plugin) && weight > 0) scorers.push({ plugin, weight });
  }
  return { filters, scorers };
}

/** Upstream's default scheduler profile. */
export function defaultProfile(): Profile {
  return buildProfile();
}
