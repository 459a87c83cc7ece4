import type { KubeObject } from "../../api/strategy.js";
import { ApiError, badRequest } from "../status.js";
import { decodeValue } from "./codec.js";
import type { RegistryContext, ResourceScope, UserInfo } from "./context.js";
import { type DeleteOptions, deleteObject } from "./delete.js";
import { getObject } from "./get.js";

type Pdb = {
  metadata?: { name?: string; generation?: number };
  spec?: { selector?: unknown };
  status?: { disruptionsAllowed?: number; observedGeneration?: number };
};

function tooManyRequests(
  message: string,
  causes: Array<{ reason: string; message: string }>,
): ApiError {
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: "TooManyRequests",
    details: { causes },
    code: 429,
  });
}

/**
 * POST pods/<name>/eviction: deletes the pod unless a PodDisruptionBudget
 * that selects it allows no disruption now (429, as upstream). The budget's
 * status is what the disruption controller last computed.
 */
export async function evictPod(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: {
    namespace: string;
    name: string;
    body: unknown;
    user: UserInfo;
    dryRun: boolean;
    matches: (selector: unknown, labels: Record<string, string>) => boolean;
  },
): Promise<void> {
  const eviction = (req.body ?? {}) as {
    metadata?: { name?: string };
    deleteOptions?: DeleteOptions;
  };
  if (eviction.metadata?.name && eviction.metadata.name !== req.name) {
    throw badRequest(`name in URL does not match name in Eviction object`);
  }
  const pod: KubeObject = await getObject(ctx, scope, req);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  // Finished or not-yet-running pods can always go.
  if (phase !== "Succeeded" && phase !== "Failed" && phase !== "Pending") {
    const listed = await ctx.store.list(`/registry/policy/poddisruptionbudgets/${req.namespace}/`);
    const labels = pod.metadata?.labels ?? {};
    const budgets = listed.items
      .map((kv) => decodeValue(kv.value) as Pdb)
      .filter((b) => req.matches(b.spec?.selector, labels));
    if (budgets.length > 1) {
      throw new ApiError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message:
          "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
        reason: "InternalError",
        code: 500,
      });
    }
    const budget = budgets[0];
    if (budget) {
      const observed = budget.status?.observedGeneration ?? 0;
      if (observed < (budget.metadata?.generation ?? 0)) {
        throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
          {
            reason: "DisruptionBudget",
            message: `The disruption budget ${budget.metadata?.name} is still being processed by the server.`,
          },
        ]);
      }
      if ((budget.status?.disruptionsAllowed ?? 0) < 1) {
        throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
          {
            reason: "DisruptionBudget",
            message: `The disruption budget ${budget.metadata?.name} needs more healthy pods to allow this disruption.`,
          },
        ]);
      }
    }
  }
  await deleteObject(ctx, scope, {
    namespace: req.namespace,
    name: req.name,
    options: eviction.deleteOptions ?? {},
    dryRun: req.dryRun,
    user: req.user,
  });
}
