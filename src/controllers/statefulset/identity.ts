import type { StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Pod, Volume } from "kubernetes-types/core/v1.js";
import { newControllerRef } from "../common/controller-ref.js";
import { podFromTemplate } from "../common/pod-template.js";
import { CONTROLLER_REVISION_HASH_LABEL } from "../history/revision.js";
import { claimName } from "./claims.js";
import { POD_INDEX_LABEL, POD_NAME_LABEL, STATEFUL_SET_GVK } from "./kinds.js";

/** `<parent>-<ordinal>`: the greedy parent part keeps dashes in set names. */
const STATEFUL_POD_NAME = /^(.*)-([0-9]+)$/;

/**
 * The set name and ordinal a pod name encodes (upstream's
 * getParentNameAndOrdinal); ordinal -1 when the name has none or it does
 * not fit in an int32.
 */
export function parentAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_NAME.exec(name);
  if (!m) return { parent: "", ordinal: -1 };
  const ordinal = Number(m[2]);
  return { parent: m[1] ?? "", ordinal: ordinal <= 2 ** 31 - 1 ? ordinal : -1 };
}

export function ordinalOf(pod: Pod): number {
  return parentAndOrdinal(pod.metadata?.name ?? "").ordinal;
}

/** The pod's name says it belongs to this set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentAndOrdinal(pod.metadata?.name ?? "").parent === set.metadata?.name;
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ""}-${ordinal}`;
}

/** The first ordinal (spec.ordinals.start, default 0). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** One past the last ordinal the set keeps. */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + (set.spec?.replicas ?? 1);
}

export function inOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const ord = ordinalOf(pod);
  return ord >= startOrdinal(set) && ord < endOrdinal(set);
}

/** The revision (ControllerRevision name) a pod was made from. */
export function podRevision(pod: Pod): string {
  return pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? "";
}

/** The name, namespace and pod-name label fit the set (upstream's identityMatches). */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const name = pod.metadata?.name ?? "";
  const { parent, ordinal } = parentAndOrdinal(name);
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[POD_NAME_LABEL] === name
  );
}

/** Every claim template has a volume pointing at this ordinal's claim (upstream's storageMatches). */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every((t) => {
    const v = volumes.get(t.metadata?.name ?? "");
    return (
      v?.persistentVolumeClaim?.claimName ===
      claimName(t.metadata?.name ?? "", { set: set.metadata?.name ?? "", ordinal })
    );
  });
}

/** A copy of `pod` with the set's identity labels (upstream's updateIdentity). */
export function withIdentity(set: StatefulSet, pod: Pod): Pod {
  const ordinal = ordinalOf(pod);
  const name = podName(set, ordinal);
  return {
    ...pod,
    metadata: {
      ...(pod.metadata ?? {}),
      name,
      namespace: set.metadata?.namespace ?? "",
      labels: {
        ...(pod.metadata?.labels ?? {}),
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
      },
    },
  };
}

/**
 * A copy of `pod` whose volumes mount this ordinal's claims, replacing
 * template volumes of the same name (upstream's updateStorage).
 */
export function withStorage(set: StatefulSet, pod: Pod): Pod {
  const ordinal = ordinalOf(pod);
  const templates = set.spec?.volumeClaimTemplates ?? [];
  const names = new Set(templates.map((t) => t.metadata?.name ?? ""));
  const claims: Volume[] = templates.map((t) => ({
    name: t.metadata?.name ?? "",
    persistentVolumeClaim: {
      claimName: claimName(t.metadata?.name ?? "", { set: set.metadata?.name ?? "", ordinal }),
    },
  }));
  const others = (pod.spec?.volumes ?? []).filter((v) => !names.has(v.name));
  const volumes = [...claims, ...others];
  return {
    ...pod,
    spec: {
      ...(pod.spec ?? { containers: [] }),
      ...(volumes.length ? { volumes } : {}),
    },
  };
}

/**
 * The pod for `ordinal` at `revision` (upstream's newStatefulSetPod plus
 * setPodRevision): the template owned by the set, named `<set>-<ordinal>`,
 * with hostname and subdomain giving it a stable DNS name under the
 * governing Service, and volumes for its claims.
 */
export function newStatefulPod(set: StatefulSet, opts: { ordinal: number; revision: string }): Pod {
  const name = podName(set, opts.ordinal);
  const base = podFromTemplate(set.spec?.template ?? {}, {
    namespace: set.metadata?.namespace ?? "",
    controllerRef: newControllerRef(set, STATEFUL_SET_GVK),
    name,
    labels: { [CONTROLLER_REVISION_HASH_LABEL]: opts.revision },
  });
  const pod = withStorage(set, withIdentity(set, base));
  const serviceName = set.spec?.serviceName;
  pod.spec = {
    ...(pod.spec ?? { containers: [] }),
    hostname: name,
    ...(serviceName ? { subdomain: serviceName } : {}),
  };
  return pod;
}
