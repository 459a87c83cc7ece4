/**
 * What the root CA publisher does in one namespace: the ConfigMap
 * `kube-root-ca.crt` must hold the cluster CA under `ca.crt` and carry the
 * annotation describing what it is for. Pure.
 */
import type { ConfigMap } from "kubernetes-types/core/v1.js";

export const ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
export const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
/** Upstream's wording, so `kubectl describe` reads the same. */
export const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

export type RootCAAction =
  | { readonly kind: "none" }
  | { readonly kind: "create"; readonly configMap: ConfigMap }
  | { readonly kind: "update"; readonly configMap: ConfigMap };

function sameData(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const keys = Object.keys(a ?? {});
  return keys.length === Object.keys(b).length && keys.every((k) => a?.[k] === b[k]);
}

/** Create the ConfigMap, bring a stale one up to date (a copy: never the cached object), or nothing. */
export function rootCAAction(opts: {
  readonly namespace: string;
  readonly existing: ConfigMap | undefined;
  readonly rootCA: string;
}): RootCAAction {
  const data = { "ca.crt": opts.rootCA };
  const existing = opts.existing;
  if (!existing) {
    return {
      kind: "create",
      configMap: {
        metadata: {
          name: ROOT_CA_CONFIG_MAP,
          namespace: opts.namespace,
          annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION },
        },
        data,
      },
    };
  }
  if (sameData(existing.data, data) && existing.metadata?.annotations?.[DESCRIPTION_ANNOTATION])
    return { kind: "none" };
  const copy = structuredClone(existing);
  copy.data = data;
  copy.metadata = {
    ...(copy.metadata ?? {}),
    annotations: { ...(copy.metadata?.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION },
  };
  return { kind: "update", configMap: copy };
}
