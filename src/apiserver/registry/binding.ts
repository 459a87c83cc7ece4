import type { KubeObject } from "../../api/strategy.js";
import { badRequest, conflict } from "../status.js";
import {
  metaOf,
  type RegistryContext,
  type ResourceScope,
  timestamp,
  type WriteOptions,
} from "./context.js";
import { writeUpdate } from "./update.js";

/**
 * POST pods/<name>/binding: assigns an unscheduled pod to a node, as the
 * scheduler does. A pod that already has a node is refused with 409.
 */
export async function bindPod(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: { namespace: string; name: string; body: unknown; opts: WriteOptions },
): Promise<KubeObject> {
  const binding = req.body as {
    target?: { kind?: string; name?: string };
    metadata?: { name?: string; annotations?: Record<string, string> };
  };
  const target = binding?.target;
  if (!target?.name) throw badRequest("a binding needs target.name: the node to bind the pod to");
  if (target.kind && target.kind !== "Node")
    throw badRequest(`a binding target must be a Node, not ${target.kind}`);
  if (binding.metadata?.name && binding.metadata.name !== req.name) {
    throw badRequest(
      `the name of the binding (${binding.metadata.name}) does not match the pod (${req.name})`,
    );
  }
  const result = await writeUpdate(ctx, scope, {
    namespace: req.namespace,
    name: req.name,
    opts: req.opts,
    modify: async (pod) => {
      const meta = metaOf(pod);
      if (meta.deletionTimestamp)
        throw conflict(
          { group: "", resource: "pods" },
          req.name,
          "pod is being deleted, cannot be assigned to a host",
        );
      const spec = (pod.spec ?? {}) as { nodeName?: string };
      if (spec.nodeName) {
        throw conflict(
          { group: "", resource: "pods" },
          req.name,
          `pod ${req.name} is already assigned to node "${spec.nodeName}"`,
        );
      }
      spec.nodeName = target.name as string;
      pod.spec = spec;
      if (binding.metadata?.annotations)
        meta.annotations = { ...(meta.annotations ?? {}), ...binding.metadata.annotations };
      const status = (pod.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== "PodScheduled");
      conditions.push({
        type: "PodScheduled",
        status: "True",
        lastProbeTime: null,
        lastTransitionTime: timestamp(ctx.now()),
      });
      status.conditions = conditions;
      pod.status = status;
      return pod;
    },
  });
  return result.object;
}
