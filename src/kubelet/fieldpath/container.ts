/** A pod's container by name (upstream resource.findContainerInPod). Pure. */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { FieldPathError } from "./errors.js";

/** The regular container named `name`, else the init container; a FieldPathError when neither exists. */
export function findContainer(pod: Pod, name: string): Container {
  const spec = pod.spec;
  const found =
    spec?.containers.find((c) => c.name === name) ??
    spec?.initContainers?.find((c) => c.name === name);
  if (found === undefined) throw new FieldPathError(`container ${name} not found`);
  return found;
}
