import type { PodSpec, Toleration } from "kubernetes-types/core/v1.js";

/**
 * What every daemon pod tolerates (upstream's
 * AddOrUpdateDaemonPodTolerations): a daemon belongs on its node through
 * not-ready and unreachable spells, resource pressure and cordoning; only
 * host-network daemons (a CNI plugin, say) also run before the network is up.
 */
export function daemonTolerations(spec: Pick<PodSpec, "hostNetwork">): Toleration[] {
  const exists = (key: string, effect: string): Toleration => ({
    key,
    operator: "Exists",
    effect,
  });
  return [
    exists("node.kubernetes.io/not-ready", "NoExecute"),
    exists("node.kubernetes.io/unreachable", "NoExecute"),
    exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
    exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
    exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
    exists("node.kubernetes.io/unschedulable", "NoSchedule"),
    ...(spec.hostNetwork ? [exists("node.kubernetes.io/network-unavailable", "NoSchedule")] : []),
  ];
}

/** Same key, operator, value and effect (upstream's Toleration.MatchToleration). */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? "") === (b.key ?? "") &&
    (a.operator ?? "") === (b.operator ?? "") &&
    (a.value ?? "") === (b.value ?? "") &&
    (a.effect ?? "") === (b.effect ?? "")
  );
}

/**
 * A copy of `spec` with the daemon tolerations added; one the template
 * already has with the same key, operator, value and effect is replaced
 * (so a tolerationSeconds on it is dropped: the daemon tolerates forever).
 */
export function withDaemonTolerations(spec: PodSpec): PodSpec {
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of daemonTolerations(spec)) {
    const i = tolerations.findIndex((x) => sameToleration(x, t));
    if (i >= 0) tolerations[i] = t;
    else tolerations.push(t);
  }
  return { ...spec, tolerations };
}
