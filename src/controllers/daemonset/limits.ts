import type { DaemonSet } from "kubernetes-types/apps/v1.js";

/**
 * An int-or-percent scaled against `total` (upstream's
 * GetScaledValueFromIntOrPercent): a number as is, "25%" as that share of
 * `total` rounded up or down. Unparseable values count as 0.
 */
export function scaledValue(
  value: number | string | undefined,
  opts: { total: number; roundUp: boolean },
): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    const n = Number(value);
    return Number.isInteger(n) ? n : 0;
  }
  const scaled = (Number(m[1]) * opts.total) / 100;
  return opts.roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** Upstream's SurgeCount: new pods that may run beside old ones (0 unless RollingUpdate). */
export function surgeCount(ds: DaemonSet, desired: number): number {
  const s = ds.spec?.updateStrategy;
  if ((s?.type ?? "RollingUpdate") !== "RollingUpdate") return 0;
  return scaledValue(s?.rollingUpdate?.maxSurge, { total: desired, roundUp: true });
}

/** Upstream's UnavailableCount: nodes that may be without an available pod during an update. */
export function unavailableCount(ds: DaemonSet, desired: number): number {
  const s = ds.spec?.updateStrategy;
  if ((s?.type ?? "RollingUpdate") !== "RollingUpdate") return 0;
  return scaledValue(s?.rollingUpdate?.maxUnavailable ?? 1, { total: desired, roundUp: true });
}

/** Surge is allowed: a RollingUpdate whose maxSurge is not zero. */
export function allowsSurge(ds: DaemonSet): boolean {
  return surgeCount(ds, 1) !== 0;
}

/**
 * The rolling update's limits for `desired` scheduled nodes. Both zero
 * (an impossible configuration the API should reject) falls back to one
 * unavailable, so the update still moves.
 */
export function rollingLimits(
  ds: DaemonSet,
  desired: number,
): { maxSurge: number; maxUnavailable: number } {
  const maxSurge = surgeCount(ds, desired);
  let maxUnavailable = unavailableCount(ds, desired);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}
