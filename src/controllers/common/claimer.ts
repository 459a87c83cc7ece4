import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { InvalidError, isNotFound } from "../../client/rest/errors.js";
import type { KubeObjectLike, ResourceClient } from "../../client/rest/resource.js";
import type { Selector } from "../../machinery/labels/index.js";
import { adoptPatch, type Claimable, planClaim, releasePatch } from "./claim.js";

/**
 * Claims the objects an owner should control: keeps its own, adopts
 * matching orphans and releases ones that stopped matching, patching
 * them through the API. Adoption first re-reads the owner from the API
 * server (`ownerStillValid`) so a stale cache never adopts into an owner
 * that is being deleted. Returns the objects the owner now controls.
 */
export async function claimObjects<T extends KubeObjectLike & Claimable>(opts: {
  client: ResourceClient<T>;
  namespace: string;
  owner: { uid: string; deleting: boolean };
  controllerRef: OwnerReference;
  selector: Selector;
  objects: readonly T[];
  ownerStillValid: () => Promise<boolean>;
}): Promise<T[]> {
  const plan = planClaim(opts.owner, opts.selector, opts.objects);
  const claimed = [...plan.owned];
  let valid: boolean | undefined;
  for (const obj of plan.adopt) {
    valid ??= await opts.ownerStillValid();
    if (!valid) break;
    const patched = await ignoreGone(() =>
      opts.client.patch(
        obj.metadata?.name ?? "",
        adoptPatch(obj.metadata?.uid ?? "", opts.controllerRef),
        { namespace: opts.namespace, type: "strategic" },
      ),
    );
    if (patched) claimed.push(patched);
  }
  for (const obj of plan.release) {
    await ignoreGone(() =>
      opts.client.patch(
        obj.metadata?.name ?? "",
        releasePatch(obj.metadata?.uid ?? "", opts.owner.uid),
        { namespace: opts.namespace, type: "strategic" },
      ),
    );
  }
  return claimed;
}

/** Runs a write, treating "the object is gone or was replaced" as nothing to do. */
async function ignoreGone<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (err) {
    // NotFound: deleted meanwhile. Invalid: the uid precondition failed (replaced by a namesake).
    if (isNotFound(err) || err instanceof InvalidError) return undefined;
    throw err;
  }
}
