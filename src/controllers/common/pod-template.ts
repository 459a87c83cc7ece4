import type { Pod, PodTemplateSpec } from "kubernetes-types/core/v1.js";
import type { OwnerReference } from "kubernetes-types/meta/v1.js";

/**
 * A pod made from a controller's template (upstream's GetPodFromTemplate):
 * the template's labels, annotations, finalizers and spec, owned by the
 * controller, named by `name` or generated from `generateName`.
 */
export function podFromTemplate(
  template: PodTemplateSpec,
  opts: {
    namespace: string;
    controllerRef: OwnerReference;
    generateName?: string;
    name?: string;
    /** Extra labels (merged over the template's). */
    labels?: Record<string, string>;
  },
): Pod {
  const meta = template.metadata ?? {};
  const labels = { ...(meta.labels ?? {}), ...(opts.labels ?? {}) };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      namespace: opts.namespace,
      ...(opts.name ? { name: opts.name } : { generateName: opts.generateName ?? "" }),
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [opts.controllerRef],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
}

/**
 * The generateName prefix for pods of `owner` (upstream's
 * getPodsPrefix): `<owner>-`, cut so the generated name stays valid.
 */
export function podPrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  // 63 (label-safe) minus the 5 random characters the server appends.
  return prefix.length > 58 ? prefix.slice(0, 58) : prefix;
}
