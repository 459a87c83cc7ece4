import type { EndpointSubset } from "kubernetes-types/core/v1.js";

/** Upstream's maxCapacity: addresses one Endpoints object carries at most. */
export const MAX_CAPACITY = 1000;
/** v1.EndpointsOverCapacity, set to "truncated" when addresses were dropped. */
export const ANNOTATION_OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";

function count(subsets: readonly EndpointSubset[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const ss of subsets) {
    ready += ss.addresses?.length ?? 0;
    notReady += ss.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

/**
 * Cuts subsets down to MAX_CAPACITY addresses, as upstream: ready
 * addresses first; each subset keeps a share proportional to its size
 * (rounded up, so the last ones may get less). When there are more ready
 * addresses than fit, every not-ready one goes.
 */
export function truncateSubsets(subsets: readonly EndpointSubset[]): {
  subsets: EndpointSubset[];
  truncated: boolean;
} {
  const { ready, notReady } = count(subsets);
  if (ready + notReady <= MAX_CAPACITY) return { subsets: [...subsets], truncated: false };
  const truncateReady = ready > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - ready;
  const total = truncateReady ? ready : notReady;
  let canBeAdded = max;
  const out = subsets.map((ss) => {
    const inSubset = (truncateReady ? ss.addresses : ss.notReadyAddresses)?.length ?? 0;
    const share = Math.min(Math.ceil((inSubset / total) * max), canBeAdded);
    const next: EndpointSubset = { ...ss };
    if (truncateReady) {
      next.addresses = (ss.addresses ?? []).slice(0, share);
      delete next.notReadyAddresses;
      canBeAdded -= next.addresses.length;
    } else {
      next.notReadyAddresses = (ss.notReadyAddresses ?? []).slice(0, share);
      canBeAdded -= next.notReadyAddresses.length;
    }
    if (next.addresses?.length === 0) delete next.addresses;
    if (next.notReadyAddresses?.length === 0) delete next.notReadyAddresses;
    return next;
  });
  // A subset left without addresses would be invalid (upstream would fail the write).
  return {
    subsets: out.filter((ss) => ss.addresses !== undefined || ss.notReadyAddresses !== undefined),
    truncated: true,
  };
}

/**
 * The over-capacity annotation is right for these (stored) subsets: never
 * when they exceed capacity (they must be truncated), else absent.
 */
export function capacityAnnotationSetCorrectly(
  annotations: Readonly<Record<string, string>> | undefined,
  subsets: readonly EndpointSubset[] | undefined,
): boolean {
  const { ready, notReady } = count(subsets ?? []);
  if (ready + notReady > MAX_CAPACITY) return false;
  return annotations?.[ANNOTATION_OVER_CAPACITY] === undefined;
}
