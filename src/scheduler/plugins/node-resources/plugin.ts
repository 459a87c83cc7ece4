/**
 * NodeResourcesFit (filter: room for the requests; score: LeastAllocated)
 * and NodeResourcesBalancedAllocation (score only).
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { stateKey } from "../../framework/cycle-state.js";
import type { FilterPlugin, ScorePlugin } from "../../framework/interface.js";
import { computePodResourceRequest, type Resource } from "../../framework/resource.js";
import { SKIP, SUCCESS, unschedulable } from "../../framework/status.js";
import { PluginNames } from "../names.js";
import { balancedAllocationScore } from "./balanced-allocation.js";
import { type FitOptions, fitsBasicResources, insufficientResources } from "./fit.js";
import { leastAllocatedScore } from "./least-allocated.js";
import {
  allocatableAndRequested,
  DEFAULT_RESOURCES,
  podRequestList,
  type ResourceSpec,
  type ResourceVectors,
} from "./resource-allocation.js";

/** The pod's request, and whether it names scalar resources (which need the full check). */
const requestKey = stateKey<{ readonly request: Resource; readonly scalars: boolean }>(
  "PreFilterNodeResourcesFit",
);
const fitScoreKey = stateKey<number[]>("PreScoreNodeResourcesFit");
const balancedKey = stateKey<number[]>("PreScoreNodeResourcesBalancedAllocation");

/**
 * Vectors a scorer fills for one node and reads at once, reused node after
 * node (scoring is synchronous) so no arrays are allocated per node.
 */
function scratchVectors(): ResourceVectors {
  return { allocatable: [], requested: [] };
}

export interface NodeResourcesFitArgs extends FitOptions {
  /** Resources LeastAllocated weighs; default cpu and memory, weight 1 each. */
  readonly resources?: readonly ResourceSpec[];
}

export function nodeResourcesFit(args: NodeResourcesFitArgs = {}): FilterPlugin & ScorePlugin {
  const resources = args.resources ?? DEFAULT_RESOURCES;
  const scratch = scratchVectors();
  return {
    name: PluginNames.NodeResourcesFit,
    events: [
      {
        event: { resource: "Pod", actions: ["Delete"] },
        // Only a pod that held resources on a node frees any.
        hint: (_pod, { oldObj }) =>
          (oldObj as Pod | undefined)?.spec?.nodeName ? "Queue" : "QueueSkip",
      },
      {
        event: {
          resource: "Node",
          actions: ["Add", "UpdateNodeAllocatable", "UpdateNodeTaint", "UpdateNodeLabel"],
        },
      },
    ],
    preFilter(ctx) {
      const request = computePodResourceRequest(ctx.pod);
      ctx.state.write(requestKey, { request, scalars: Object.keys(request.scalar).length > 0 });
      return SUCCESS;
    },
    filter(ctx, nodeInfo) {
      const pre = ctx.state.read(requestKey);
      const request = pre?.request ?? computePodResourceRequest(ctx.pod);
      if (pre && !pre.scalars && fitsBasicResources(request, nodeInfo)) return SUCCESS;
      const missing = insufficientResources(request, { ...args, nodeInfo });
      return missing.length === 0 ? SUCCESS : unschedulable(...missing.map((m) => m.reason));
    },
    preScore(ctx) {
      ctx.state.write(fitScoreKey, podRequestList(ctx.pod, { resources, useRequested: false }));
      return SUCCESS;
    },
    score(ctx, nodeInfo) {
      const podRequests =
        ctx.state.read(fitScoreKey) ?? podRequestList(ctx.pod, { resources, useRequested: false });
      const v = allocatableAndRequested(nodeInfo, {
        resources,
        podRequests,
        useRequested: false,
        into: scratch,
      });
      return leastAllocatedScore(resources, v);
    },
  };
}

export function nodeResourcesBalancedAllocation(
  args: { readonly resources?: readonly ResourceSpec[] } = {},
): ScorePlugin {
  const resources = args.resources ?? DEFAULT_RESOURCES;
  const scratch = scratchVectors();
  return {
    name: PluginNames.NodeResourcesBalancedAllocation,
    preScore(ctx) {
      const podRequests = podRequestList(ctx.pod, { resources, useRequested: true });
      // Best-effort pods would all pile onto one node (upstream issue 129138).
      if (podRequests.every((r) => r === 0)) return SKIP;
      ctx.state.write(balancedKey, podRequests);
      return SUCCESS;
    },
    score(ctx, nodeInfo) {
      const podRequests =
        ctx.state.read(balancedKey) ?? podRequestList(ctx.pod, { resources, useRequested: true });
      return balancedAllocationScore(
        allocatableAndRequested(nodeInfo, {
          resources,
          podRequests,
          useRequested: true,
          into: scratch,
        }),
      );
    },
  };
}
