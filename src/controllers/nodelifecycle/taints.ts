import type { Node, Taint } from "kubernetes-types/core/v1.js";
import { rfc3339 } from "../job/time.js";
import { nodeCondition, readyCondition } from "./conditions.js";

export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
export const TAINT_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
export const TAINT_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
export const TAINT_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
export const TAINT_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

/** Which NoSchedule taint each condition status calls for (upstream's TaintNodesByCondition). */
const CONDITION_TAINTS: ReadonlyArray<{ type: string; status: string; key: string }> = [
  { type: "Ready", status: "False", key: TAINT_NOT_READY },
  { type: "Ready", status: "Unknown", key: TAINT_UNREACHABLE },
  { type: "MemoryPressure", status: "True", key: TAINT_MEMORY_PRESSURE },
  { type: "DiskPressure", status: "True", key: TAINT_DISK_PRESSURE },
  { type: "NetworkUnavailable", status: "True", key: TAINT_NETWORK_UNAVAILABLE },
  { type: "PIDPressure", status: "True", key: TAINT_PID_PRESSURE },
];

/** The NoSchedule taint keys this controller owns; any other NoSchedule taint is someone else's. */
const MANAGED_NO_SCHEDULE = new Set([...CONDITION_TAINTS.map((c) => c.key), TAINT_UNSCHEDULABLE]);

/** The NoExecute taint keys this controller owns (they mirror Ready=False and Ready=Unknown). */
const MANAGED_NO_EXECUTE = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE]);

/** The NoSchedule taint keys the node's conditions and spec.unschedulable call for. */
export function noScheduleKeys(node: Node): string[] {
  const keys = CONDITION_TAINTS.filter((c) => nodeCondition(node, c.type)?.status === c.status).map(
    (c) => c.key,
  );
  if (node.spec?.unschedulable) keys.push(TAINT_UNSCHEDULABLE);
  return keys;
}

/**
 * Which NoExecute taint the node should carry: "keep" leaves whatever is
 * there (no Ready condition yet, or a new taint held back by the rate
 * limiter), "none" removes both.
 */
export type NoExecuteWant = typeof TAINT_NOT_READY | typeof TAINT_UNREACHABLE | "none" | "keep";

/**
 * The NoExecute taint the Ready condition calls for (upstream's
 * processTaintBaseEviction): not-ready for False, unreachable for
 * Unknown, none for True. While every zone is fully disrupted the problem
 * is more likely the control plane's own network than every node, so no
 * node is tainted (and taints are lifted). Swapping one taint for the
 * other is immediate; a fresh taint needs `mayAdd` (the zone's rate limiter).
 */
export function noExecuteWant(
  node: Node,
  opts: { allZonesDisrupted: boolean; mayAdd: () => boolean },
): NoExecuteWant {
  const status = readyCondition(node)?.status;
  if (status === undefined) return "keep";
  if (status === "True" || opts.allZonesDisrupted) return "none";
  const want = status === "False" ? TAINT_NOT_READY : TAINT_UNREACHABLE;
  const taints = node.spec?.taints ?? [];
  const has = (key: string) => taints.some((t) => t.effect === "NoExecute" && t.key === key);
  if (has(want)) return want;
  const other = want === TAINT_NOT_READY ? TAINT_UNREACHABLE : TAINT_NOT_READY;
  if (has(other)) return want;
  return opts.mayAdd() ? want : "keep";
}

/**
 * The node's taints with the managed ones reconciled: NoSchedule taints
 * from conditions, and the NoExecute taint `noExecute` asks for (stamped
 * with timeAdded, which the taint eviction controller times tolerations
 * from). Taints already right are kept as they are, so their timeAdded
 * survives. Undefined when nothing changes.
 */
export function reconcileTaints(
  node: Node,
  opts: { noExecute: NoExecuteWant; now: number },
): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const wantNoSchedule = new Set(noScheduleKeys(node));
  const want = opts.noExecute;
  const managesNoExecute = want !== "keep";
  const keep = current.filter((t) => {
    if (t.effect === "NoSchedule" && MANAGED_NO_SCHEDULE.has(t.key))
      return wantNoSchedule.has(t.key);
    if (managesNoExecute && t.effect === "NoExecute" && MANAGED_NO_EXECUTE.has(t.key))
      return t.key === want;
    return true;
  });
  const has = (key: string, effect: string) =>
    keep.some((t) => t.key === key && t.effect === effect);
  const added: Taint[] = [];
  for (const key of wantNoSchedule)
    if (!has(key, "NoSchedule")) added.push({ key, effect: "NoSchedule" });
  if (want !== "keep" && want !== "none" && !has(want, "NoExecute"))
    added.push({ key: want, effect: "NoExecute", timeAdded: rfc3339(opts.now) });
  if (added.length === 0 && keep.length === current.length) return undefined;
  return [...keep, ...added];
}
