/** The API resources the ingress controller reads, and its informers on them. */
import type { Secret, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { Ingress, IngressClass } from "kubernetes-types/networking/v1.js";
import type { SharedInformerFactory } from "../client/informer/factory.js";
import type { Informer } from "../client/informer/informer.js";
import type { ResourceRef } from "../client/rest/resource.js";
import { INGRESS_CLASSES } from "./ingress-class.js";
import { TLS_SECRET_TYPE } from "./tls.js";

export const INGRESSES: ResourceRef = {
  group: "networking.k8s.io",
  version: "v1",
  resource: "ingresses",
  namespaced: true,
};
const SERVICES: ResourceRef = { group: "", version: "v1", resource: "services", namespaced: true };
const ENDPOINT_SLICES: ResourceRef = {
  group: "discovery.k8s.io",
  version: "v1",
  resource: "endpointslices",
  namespaced: true,
};
const SECRETS: ResourceRef = { group: "", version: "v1", resource: "secrets", namespaced: true };

export interface Caches {
  readonly ingresses: Informer<Ingress>;
  readonly classes: Informer<IngressClass>;
  readonly services: Informer<Service>;
  readonly slices: Informer<EndpointSlice>;
  /** Only `kubernetes.io/tls` Secrets: the others are none of the controller's business. */
  readonly secrets: Informer<Secret>;
}

export function cachesFrom(factory: SharedInformerFactory): Caches {
  return {
    ingresses: factory.informerFor<Ingress>(INGRESSES),
    classes: factory.informerFor<IngressClass>(INGRESS_CLASSES),
    services: factory.informerFor<Service>(SERVICES),
    slices: factory.informerFor<EndpointSlice>(ENDPOINT_SLICES),
    secrets: factory.informerFor<Secret>(SECRETS, { fieldSelector: `type=${TLS_SECRET_TYPE}` }),
  };
}

/** Starts the informers (a no-op for ones already running) and waits for their first lists. */
export async function startCaches(c: Caches): Promise<void> {
  const all = [c.ingresses, c.classes, c.services, c.slices, c.secrets];
  for (const i of all) i.start();
  await Promise.all(all.map((i) => i.waitForSync()));
}

/** Calls `fn` on every add, update and delete of any of the watched objects. */
export function onAnyChange(c: Caches, fn: () => void): void {
  const h = { onAdd: fn, onUpdate: fn, onDelete: fn };
  c.ingresses.addEventHandler(h);
  c.classes.addEventHandler(h);
  c.services.addEventHandler(h);
  c.slices.addEventHandler(h);
  c.secrets.addEventHandler(h);
}
