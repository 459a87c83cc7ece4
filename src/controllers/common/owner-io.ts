import { isConflict, isNotFound } from "../../client/rest/errors.js";
import type { KubeObjectLike, ResourceClient } from "../../client/rest/resource.js";

/**
 * Re-reads an owner from the API server (not the cache): adoption goes
 * only into a live owner with the same UID that is not being deleted.
 */
export async function ownerStillValid<T extends KubeObjectLike>(
  client: ResourceClient<T>,
  cached: T,
): Promise<boolean> {
  try {
    const fresh = await client.get(cached.metadata?.name ?? "", {
      namespace: cached.metadata?.namespace ?? "",
    });
    return fresh.metadata?.uid === cached.metadata?.uid && !fresh.metadata?.deletionTimestamp;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/**
 * Writes `status` through the status subresource, retrying once on a
 * conflict against a freshly read object (the same object: a namesake
 * with another UID is left alone). A deleted object needs no status.
 */
export async function writeStatus<T extends KubeObjectLike & { status?: unknown }>(
  client: ResourceClient<T>,
  obj: T,
  status: T["status"],
): Promise<void> {
  const namespace = obj.metadata?.namespace ?? "";
  let base = obj;
  for (let attempt = 0; ; attempt++) {
    try {
      await client.updateStatus({ ...structuredClone(base), status }, { namespace });
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err) || attempt >= 1) throw err;
      base = await client.get(obj.metadata?.name ?? "", { namespace });
      if (base.metadata?.uid !== obj.metadata?.uid) return;
    }
  }
}
