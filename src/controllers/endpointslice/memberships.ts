/** Which services a pod event concerns (upstream's GetPodServiceMemberships and friends). */
import type { Pod, Service } from "kubernetes-types/core/v1.js";
import { objectKey } from "../../client/informer/indexer.js";
import { selectorFromSet } from "../../machinery/labels/index.js";
import { podEndpointsChanged } from "./pod-endpoints.js";

/**
 * The label selector a service picks its pods with; undefined when it has
 * none. An empty selector counts as none, as upstream, where it does not
 * survive the round trip through storage.
 */
export function serviceSelector(svc: Service): Record<string, string> | undefined {
  const selector = svc.spec?.selector;
  return selector && Object.keys(selector).length > 0 ? selector : undefined;
}

/**
 * Keys of the services (from those of the pod's namespace) whose selector
 * matches the pod. A service without a selector selects nothing, not everything.
 */
export function podServiceMemberships(services: readonly Service[], pod: Pod): Set<string> {
  const labels = pod.metadata?.labels ?? {};
  const keys = new Set<string>();
  for (const svc of services) {
    const selector = serviceSelector(svc);
    if (selector && selectorFromSet(selector).matches(labels)) keys.add(objectKey(svc));
  }
  return keys;
}

/**
 * Keys of the services a pod update may affect: none when nothing
 * endpoint-relevant changed; when only labels changed, the services it
 * joined or left; otherwise every service it belonged to before or after.
 */
export function servicesToUpdateOnPodChange(
  services: readonly Service[],
  change: { old: Pod; cur: Pod },
): Set<string> {
  const { old, cur } = change;
  if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return new Set();
  const { changed, labelsChanged } = podEndpointsChanged(old, cur);
  if (!changed && !labelsChanged) return new Set();
  const now = podServiceMemberships(services, cur);
  if (!labelsChanged) return now;
  const before = podServiceMemberships(services, old);
  if (changed) return new Set([...now, ...before]);
  const joinedOrLeft = new Set<string>();
  for (const k of now) if (!before.has(k)) joinedOrLeft.add(k);
  for (const k of before) if (!now.has(k)) joinedOrLeft.add(k);
  return joinedOrLeft;
}
