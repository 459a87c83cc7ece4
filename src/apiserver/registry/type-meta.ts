import { apiVersionOf, type ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import { badRequest } from "../status.js";

/**
 * Checks a request body's apiVersion and kind against the endpoint and
 * fills them in when absent, as upstream's decoder does.
 */
export function checkTypeMeta(obj: unknown, d: ResourceDescriptor): KubeObject {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    throw badRequest("the body of the request was not a JSON object");
  }
  const o = obj as KubeObject;
  const expected = apiVersionOf(d);
  if (o.apiVersion !== undefined && o.apiVersion !== "" && o.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (o.kind !== undefined && o.kind !== "" && o.kind !== d.kind) {
    throw badRequest(
      `the kind in the data (${String(o.kind)}) does not match the expected kind (${d.kind})`,
    );
  }
  if (
    o.metadata !== undefined &&
    (o.metadata === null || typeof o.metadata !== "object" || Array.isArray(o.metadata))
  ) {
    throw badRequest("metadata must be an object");
  }
  o.apiVersion = expected;
  o.kind = d.kind;
  return o;
}
