import type { ContainerPort } from "kubernetes-types/core/v1.js";
import type { HostPortInfo } from "../../framework/host-ports.js";

/** Whether none of the wanted host ports clashes with one in use (same protocol and port, overlapping IP). */
export function fitsPorts(wanted: readonly ContainerPort[], used: HostPortInfo): boolean {
  return !wanted.some((p) => used.conflicts(p));
}
