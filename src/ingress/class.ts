/**
 * Which Ingresses this controller serves (pure). An Ingress names its
 * class in spec.ingressClassName or, for older objects, in the deprecated
 * `kubernetes.io/ingress.class` annotation, which controllers still honour
 * and which wins when set. An Ingress naming no class belongs to the
 * default IngressClass, the one annotated
 * `ingressclass.kubernetes.io/is-default-class: "true"`.
 */
import type { Ingress, IngressClass } from "kubernetes-types/networking/v1.js";

export const CONTROLLER_NAME = "k8ts.io/ingress-controller";
export const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
export const LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

export function isDefaultClass(ic: IngressClass | undefined): boolean {
  return ic?.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true";
}

/** The class an Ingress asks for, or undefined when it names none. */
export function requestedClass(ing: Ingress): string | undefined {
  const legacy = ing.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (legacy) return legacy;
  return ing.spec?.ingressClassName || undefined;
}

/**
 * Whether the controller of class `className` serves `ing`; `ourClass` is
 * that IngressClass as the cache has it (absent when it does not exist).
 */
export function servesIngress(
  ing: Ingress,
  ours: { className: string; ourClass: IngressClass | undefined },
): boolean {
  const wanted = requestedClass(ing);
  if (wanted !== undefined) return wanted === ours.className;
  return isDefaultClass(ours.ourClass);
}

/** The IngressClass this controller creates when it finds none of its name. */
export function ingressClassObject(name: string, opts: { isDefault: boolean }): IngressClass {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: {
      name,
      ...(opts.isDefault ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } } : {}),
    },
    spec: { controller: CONTROLLER_NAME },
  };
}
