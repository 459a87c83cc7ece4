import type { KubeObject } from "../strategy.js";

/**
 * Converts between a served version and the version a resource is stored
 * in (upstream converts through an internal version; with two versions a
 * direct pair is the same thing). Pure; both directions return new objects.
 */
export interface Conversion {
  /** apiVersion/kind of the stored form, e.g. `v1` Event, `autoscaling/v2` HPA. */
  readonly storage: { readonly group: string; readonly version: string };
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}
