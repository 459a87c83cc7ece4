import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { KubeObject } from "../../api/strategy.js";
import { labelSelectorAsSelector, selectorFromSet } from "../../machinery/labels/index.js";
import { badRequest, conflict, OBJECT_MODIFIED } from "../status.js";
import type { RegistryContext, ResourceScope, WriteOptions } from "./context.js";
import { getObject } from "./get.js";
import { qualifiedResource } from "./keys.js";
import { prepareUpdate, writeUpdate } from "./update.js";

/** A selector as the string Scale.status.selector carries. */
function selectorText(selector: unknown): string {
  if (!selector || typeof selector !== "object") return "";
  const s = selector as LabelSelector & Record<string, unknown>;
  // ReplicationController: a plain label map, not a LabelSelector.
  if (s.matchLabels === undefined && s.matchExpressions === undefined) {
    return selectorFromSet(s as Record<string, string>).toString();
  }
  try {
    return labelSelectorAsSelector(s).toString();
  } catch {
    return "";
  }
}

/** The autoscaling/v1 Scale view of a scalable object. */
export function scaleOf(obj: KubeObject): KubeObject {
  const m = obj.metadata ?? {};
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  const metadata: Record<string, unknown> = { name: m.name, namespace: m.namespace, uid: m.uid };
  if (m.resourceVersion) metadata.resourceVersion = m.resourceVersion;
  if (m.creationTimestamp) metadata.creationTimestamp = m.creationTimestamp;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata,
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorText(spec.selector) },
  };
}

export async function getScale(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: { namespace: string; name: string },
): Promise<KubeObject> {
  return scaleOf(await getObject(ctx, scope, req));
}

/**
 * Writes a desired Scale: only spec.replicas reaches the parent object.
 * `desired` computes the new Scale from the current one (PUT passes the
 * body through; PATCH applies the patch to the current Scale).
 */
export async function updateScale(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: {
    namespace: string;
    name: string;
    opts: WriteOptions;
    desired: (current: KubeObject) => KubeObject;
  },
): Promise<KubeObject> {
  const result = await writeUpdate(ctx, scope, {
    namespace: req.namespace,
    name: req.name,
    opts: req.opts,
    modify: async (current) => {
      const scale = req.desired(scaleOf(current));
      const rv = (scale.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
      if (rv && rv !== current.metadata?.resourceVersion) {
        throw conflict(qualifiedResource(scope.d), req.name, OBJECT_MODIFIED);
      }
      const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== "number" || !Number.isInteger(replicas)) {
        throw badRequest("spec.replicas: the Scale must carry an integer spec.replicas");
      }
      const next = structuredClone(current);
      (next.spec as { replicas?: number }).replicas = replicas;
      return prepareUpdate(ctx, scope, { subresource: "", desired: next, current, opts: req.opts });
    },
  });
  return scaleOf(result.object);
}
