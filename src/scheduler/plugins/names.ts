/** Plugin names as upstream spells them (they appear in configs, metrics and events). */
export const PluginNames = {
  NodeUnschedulable: "NodeUnschedulable",
  NodeName: "NodeName",
  NodeResourcesFit: "NodeResourcesFit",
  NodeResourcesBalancedAllocation: "NodeResourcesBalancedAllocation",
  NodePorts: "NodePorts",
  NodeAffinity: "NodeAffinity",
  TaintToleration: "TaintToleration",
  InterPodAffinity: "InterPodAffinity",
  PodTopologySpread: "PodTopologySpread",
  ImageLocality: "ImageLocality",
  VolumeBinding: "VolumeBinding",
} as const;

export type PluginName = (typeof PluginNames)[keyof typeof PluginNames];
