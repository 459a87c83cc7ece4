import type { Pod } from "kubernetes-types/core/v1.js";
import type { Informer } from "../../client/informer/informer.js";
import type { KubeObjectLike, ResourceRef } from "../../client/rest/resource.js";
import type { ControllerContext } from "../manager/context.js";
import type { Claimable } from "./claim.js";
import { controllerOf } from "./controller-ref.js";
import { PODS } from "./resources.js";

/** Index name: objects by their controller's UID, orphans under `orphan/<namespace>`. */
export const BY_CONTROLLER = "controller";

export function controllerIndexValue(obj: KubeObjectLike & Claimable): string {
  const ref = controllerOf(obj);
  return ref ? ref.uid : `orphan/${obj.metadata?.namespace ?? ""}`;
}

/**
 * The shared informer of a resource whose objects controllers own
 * (pods, ReplicaSets, Jobs, ControllerRevisions, PVCs), always built with
 * the same indexes so every controller can share it.
 */
export function ownedInformer<T extends KubeObjectLike & Claimable>(
  ctx: ControllerContext,
  ref: ResourceRef,
): Informer<T> {
  return ctx.informers.informerFor<T>(ref, {
    indexers: { [BY_CONTROLLER]: (obj) => [controllerIndexValue(obj)] },
  });
}

export function podInformer(ctx: ControllerContext): Informer<Pod> {
  return ownedInformer<Pod>(ctx, PODS);
}

/**
 * The objects an owner may claim: the ones it controls plus the orphans
 * of its namespace (the only candidates for adoption).
 */
export function claimCandidates<T extends KubeObjectLike & Claimable>(
  informer: Informer<T>,
  owner: { uid: string; namespace: string },
): T[] {
  return [
    ...informer.store.byIndex(BY_CONTROLLER, owner.uid),
    ...informer.store.byIndex(BY_CONTROLLER, `orphan/${owner.namespace}`),
  ];
}
