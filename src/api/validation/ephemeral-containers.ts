/**
 * Updates through a pod's ephemeralcontainers subresource (upstream's
 * ValidatePodEphemeralContainersUpdate): the whole pod must still be valid,
 * and ephemeral containers already added may be neither changed nor removed.
 */
import { type FieldError, forbidden, path } from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { describeDiff, validatePod } from "./pod.js";
import { isObj, type Obj, objList, semanticEqual, str } from "./shape.js";

const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

const ephemeralOf = (o: KubeObject): Obj[] =>
  objList(isObj(o.spec) ? o.spec.ephemeralContainers : undefined);

/** Validates `pod`, the result of adding ephemeral containers to `old`. */
export function validateEphemeralContainersUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePod(pod);
  // Static pods cannot run them: their mirror pod is not what the kubelet runs.
  const annotations = old.metadata?.annotations ?? {};
  if (annotations[MIRROR_ANNOTATION] !== undefined)
    return [forbidden(path(""), "static pods do not support ephemeral containers")];
  const p = path("spec", "ephemeralContainers");
  const byName = new Map(ephemeralOf(pod).map((c) => [str(c.name), c]));
  for (const was of ephemeralOf(old)) {
    const name = str(was.name);
    const now = byName.get(name);
    if (now === undefined) {
      errs.push(forbidden(p, `existing ephemeral containers "${name}" may not be removed\n`));
    } else if (!semanticEqual(was, now)) {
      const diff: string[] = [];
      describeDiff(was, now, `ephemeralContainers[${name}]`, diff);
      errs.push(
        forbidden(
          p,
          `existing ephemeral containers "${name}" may not be changed\n${diff.join("\n")}`,
        ),
      );
    }
  }
  return errs;
}
