import type { KubeObject } from "../../api/strategy.js";
import { ApiError, badRequest } from "../status.js";
import { decodeValue } from "./codec.js";
import { type RegistryContext, type ResourceScope, timestamp, type UserInfo } from "./context.js";
import { type DeleteOptions, deleteObject } from "./delete.js";
import { getObject } from "./get.js";
import { guaranteedUpdate } from "./guaranteed-update.js";

type Pdb = {
  metadata?: { name?: string; generation?: number };
  spec?: { selector?: unknown };
  status?: {
    disruptionsAllowed?: number;
    observedGeneration?: number;
    desiredHealthy?: number;
    currentHealthy?: number;
    disruptedPods?: Record<string, string>;
  };
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
    if (budget?.metadata?.name) {
      await takeDisruption(ctx, {
        namespace: req.namespace,
        budget: budget.metadata.name,
        pod: req.name,
        dryRun: req.dryRun,
      });
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

/**
 * Spends one of the budget's allowed disruptions for this pod, atomically:
 * decrement status.disruptionsAllowed and record the pod in
 * status.disruptedPods (so the disruption controller does not count it as
 * healthy meanwhile). A budget with nothing left refuses with 429.
 */
async function takeDisruption(
  ctx: RegistryContext,
  req: { namespace: string; budget: string; pod: string; dryRun: boolean },
): Promise<void> {
  const budgetName = req.budget;
  const podName = req.pod;
  await guaranteedUpdate({
    store: ctx.store,
    key: `/registry/policy/poddisruptionbudgets/${req.namespace}/${budgetName}`,
    resource: { group: "policy", resource: "poddisruptionbudgets" },
    name: budgetName,
    dryRun: req.dryRun,
    modify: (current) => {
      const b = current as Pdb & { status?: { disruptedPods?: Record<string, string> } };
      const observed = b.status?.observedGeneration ?? 0;
      if (observed < (b.metadata?.generation ?? 0)) {
        throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
          {
            reason: "DisruptionBudget",
            message: `The disruption budget ${budgetName} is still being processed by the server.`,
          },
        ]);
      }
      const allowed = b.status?.disruptionsAllowed ?? 0;
      if (allowed < 1) {
        throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
          {
            reason: "DisruptionBudget",
            message: `The disruption budget ${budgetName} needs ${b.status?.desiredHealthy ?? 0} healthy pods and has ${b.status?.currentHealthy ?? 0} currently`,
          },
        ]);
      }
      const status = { ...(b.status ?? {}) };
      status.disruptionsAllowed = allowed - 1;
      status.disruptedPods = { ...(status.disruptedPods ?? {}), [podName]: timestamp(ctx.now()) };
      b.status = status;
      return b;
    },
  });
}
