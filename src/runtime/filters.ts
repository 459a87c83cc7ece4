/**
 * The CRI list filters, as pure predicates both the engine and the fake
 * runtime apply: every field given must match, absent fields match all.
 */
import type {
  Container,
  ContainerFilter,
  ContainerStatsFilter,
  PodSandbox,
  PodSandboxFilter,
} from "./cri.js";

/** True when every pair of `selector` is among `labels`. */
export function labelsMatch(
  labels: Record<string, string> | undefined,
  selector: Record<string, string> | undefined,
): boolean {
  if (selector === undefined) return true;
  for (const [key, value] of Object.entries(selector)) {
    if (labels?.[key] !== value) return false;
  }
  return true;
}

export function sandboxMatches(sandbox: PodSandbox, filter: PodSandboxFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (filter.id !== undefined && filter.id !== "" && sandbox.id !== filter.id) return false;
  if (filter.state !== undefined && sandbox.state !== filter.state) return false;
  return labelsMatch(sandbox.labels, filter.labelSelector);
}

export function containerMatches(
  container: Container,
  filter: ContainerFilter | ContainerStatsFilter | undefined,
): boolean {
  if (filter === undefined) return true;
  if (filter.id !== undefined && filter.id !== "" && container.id !== filter.id) return false;
  if ("state" in filter && filter.state !== undefined && container.state !== filter.state) {
    return false;
  }
  if (
    filter.podSandboxId !== undefined &&
    filter.podSandboxId !== "" &&
    container.podSandboxId !== filter.podSandboxId
  ) {
    return false;
  }
  return labelsMatch(container.labels, filter.labelSelector);
}
