import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import { labelSelectorAsSelector, nothing, type Selector } from "../../machinery/labels/index.js";

export const DAEMON_SET_GVK = { apiVersion: "apps/v1", kind: "DaemonSet" } as const;
export const DAEMON_SET_COMPONENT = "daemonset-controller";

/**
 * The DaemonSet's selector; an empty or invalid one selects nothing
 * (upstream refuses to act on a DaemonSet selecting every pod).
 */
export function daemonSetSelector(ds: DaemonSet): Selector {
  const sel = ds.spec?.selector as LabelSelector | undefined;
  if (!sel || selectsEverything(ds)) return nothing();
  try {
    return labelSelectorAsSelector(sel);
  } catch {
    return nothing();
  }
}

/** True when the selector is `{}` (selects every pod): upstream only warns and does nothing. */
export function selectsEverything(ds: DaemonSet): boolean {
  const sel = ds.spec?.selector;
  return (
    sel !== undefined &&
    Object.keys(sel.matchLabels ?? {}).length === 0 &&
    (sel.matchExpressions?.length ?? 0) === 0
  );
}
