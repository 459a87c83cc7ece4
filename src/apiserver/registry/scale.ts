import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { ResourceDescriptor } from "../../api/resources.js";
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

type ScalePaths = NonNullable<ResourceDescriptor["scalePaths"]>;

/** The segments of a simple JSON path (`.spec.replicas`). */
const segments = (path: string) =>
  path
    .replace(/^\./, "")
    .split(".")
    .filter((s) => s !== "");

function at(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const s of segments(path)) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = segments(path);
  let cur = obj;
  for (const s of parts.slice(0, -1)) {
    const next = cur[s];
    if (!next || typeof next !== "object") cur[s] = {};
    cur = cur[s] as Record<string, unknown>;
  }
  const last = parts.at(-1);
  if (last !== undefined) cur[last] = value;
}

/**
 * The autoscaling/v1 Scale view of a scalable object: built-ins from
 * spec.replicas, status.replicas and spec.selector; a custom resource from
 * its CRD's scale paths (its selector there is already a string).
 */
export function scaleOf(obj: KubeObject, paths?: ScalePaths): KubeObject {
  const m = obj.metadata ?? {};
  const metadata: Record<string, unknown> = { name: m.name, namespace: m.namespace, uid: m.uid };
  if (m.resourceVersion) metadata.resourceVersion = m.resourceVersion;
  if (m.creationTimestamp) metadata.creationTimestamp = m.creationTimestamp;
  const number = (v: unknown) => (typeof v === "number" ? v : 0);
  const selector = paths
    ? paths.labelSelector
      ? String(at(obj, paths.labelSelector) ?? "")
      : ""
    : selectorText(at(obj, ".spec.selector"));
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata,
    spec: { replicas: number(at(obj, paths?.specReplicas ?? ".spec.replicas")) },
    status: {
      replicas: number(at(obj, paths?.statusReplicas ?? ".status.replicas")),
      selector,
    },
  };
}

export async function getScale(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: { namespace: string; name: string },
): Promise<KubeObject> {
  return scaleOf(await getObject(ctx, scope, req), scope.d.scalePaths);
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
      const scale = req.desired(scaleOf(current, scope.d.scalePaths));
      const rv = (scale.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
      if (rv && rv !== current.metadata?.resourceVersion) {
        throw conflict(qualifiedResource(scope.d), req.name, OBJECT_MODIFIED);
      }
      const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== "number" || !Number.isInteger(replicas)) {
        throw badRequest("spec.replicas: the Scale must carry an integer spec.replicas");
      }
      const next = structuredClone(current);
      setAt(next, scope.d.scalePaths?.specReplicas ?? ".spec.replicas", replicas);
      return prepareUpdate(ctx, scope, { subresource: "", desired: next, current, opts: req.opts });
    },
  });
  return scaleOf(result.object, scope.d.scalePaths);
}
