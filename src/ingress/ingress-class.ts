/**
 * Makes sure the controller's IngressClass exists at start. A missing one
 * is created (default only when asked); an existing one is left as an
 * administrator shaped it, except that `defaultClass` marks it default
 * when it is not.
 */
import type { IngressClass } from "kubernetes-types/networking/v1.js";
import type { RestClient } from "../client/rest/client.js";
import { isAlreadyExists, isNotFound } from "../client/rest/errors.js";
import { ResourceClient, type ResourceRef } from "../client/rest/resource.js";
import type { Logger } from "../util/log.js";
import {
  CONTROLLER_NAME,
  DEFAULT_CLASS_ANNOTATION,
  ingressClassObject,
  isDefaultClass,
} from "./class.js";

export const INGRESS_CLASSES: ResourceRef = {
  group: "networking.k8s.io",
  version: "v1",
  resource: "ingressclasses",
  namespaced: false,
};

export async function ensureIngressClass(
  rest: RestClient,
  want: { name: string; defaultClass: boolean; log: Logger },
): Promise<IngressClass> {
  const client = new ResourceClient<IngressClass>(rest, INGRESS_CLASSES);
  let existing: IngressClass | undefined;
  try {
    existing = await client.get(want.name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!existing) {
    try {
      const created = await client.create(
        ingressClassObject(want.name, { isDefault: want.defaultClass }),
      );
      want.log.info("created IngressClass", { name: want.name, default: want.defaultClass });
      return created;
    } catch (err) {
      // Another replica made it first: use theirs.
      if (!isAlreadyExists(err)) throw err;
      existing = await client.get(want.name);
    }
  }
  if (existing.spec?.controller !== CONTROLLER_NAME)
    want.log.warn("IngressClass belongs to another controller; serving it by name anyway", {
      name: want.name,
      controller: existing.spec?.controller,
    });
  if (want.defaultClass && !isDefaultClass(existing)) {
    return client.patch(want.name, {
      metadata: { annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
    });
  }
  return existing;
}
