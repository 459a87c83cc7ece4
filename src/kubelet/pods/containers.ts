/**
 * A pod's containers of every kind by name (upstream's podutil.VisitContainers
 * over AllContainers). Pure. Names are unique across the kinds, so a name
 * alone finds the spec; ephemeral containers are read as plain Containers
 * (their fields are a subset).
 */
import type { Container, Pod } from "kubernetes-types/core/v1.js";

/** The ephemeral containers, as Containers. */
export function ephemeralContainers(pod: Pod): Container[] {
  return (pod.spec?.ephemeralContainers ?? []).map((e) => {
    const { targetContainerName: _target, ...common } = e;
    return common;
  });
}

/** Init, regular and ephemeral containers, in that order. */
export function allContainers(pod: Pod): Container[] {
  return [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
    ...ephemeralContainers(pod),
  ];
}

/** The spec of the container with this name: regular, else init, else ephemeral (upstream's order). */
export function findContainerSpec(pod: Pod, name: string): Container | undefined {
  const named = (c: { name: string }) => c.name === name;
  return (
    pod.spec?.containers?.find(named) ??
    pod.spec?.initContainers?.find(named) ??
    ephemeralContainers(pod).find(named)
  );
}
