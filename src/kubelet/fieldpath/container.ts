/** A pod's container by name (upstream resource.findContainerInPod). Pure. */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { findContainerSpec } from "../pods/containers.js";
import { FieldPathError } from "./errors.js";

/** The container of any kind (regular, init, ephemeral) named `name`; a FieldPathError when none exists. */
export function findContainer(pod: Pod, name: string): Container {
  const found = findContainerSpec(pod, name);
  if (found === undefined) throw new FieldPathError(`container ${name} not found`);
  return found;
}
