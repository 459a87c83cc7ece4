import type { KubeObject } from "../../api/strategy.js";
import { notFound } from "../status.js";
import { decodeObject } from "./codec.js";
import type { RegistryContext, ResourceScope } from "./context.js";
import { keyFor, qualifiedResource } from "./keys.js";

/** GET one object (always the latest state: it satisfies any resourceVersion asked for). */
export async function getObject(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: { namespace: string; name: string },
): Promise<KubeObject> {
  const kv = await ctx.store.get(keyFor(scope.d, req.namespace, req.name));
  if (!kv) throw notFound(qualifiedResource(scope.d), req.name);
  return decodeObject(kv);
}
