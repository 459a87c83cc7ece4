/**
 * Which owner and group the pod's security context asks volume files to
 * have (upstream volumeutil.FsUserFrom and the fsGroup mounter argument). Pure.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { allContainers } from "../pods/containers.js";

/** The pod's fsGroup, if it sets one. */
export function fsGroupOf(pod: Pod): number | undefined {
  return pod.spec?.securityContext?.fsGroup;
}

/**
 * The one user every container runs as, when they all run as the same
 * explicit runAsUser; otherwise undefined. Projected service account tokens
 * are given to this user with mode 0600.
 */
export function fsUserFrom(pod: Pod): number | undefined {
  const spec = pod.spec;
  if (spec === undefined) return undefined;
  const containers = allContainers(pod);
  let user: number | undefined;
  for (const c of containers) {
    const runAs = c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
    if (runAs === undefined || (user !== undefined && user !== runAs)) return undefined;
    user = runAs;
  }
  return user;
}
