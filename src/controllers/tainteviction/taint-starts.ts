import type { Taint } from "kubernetes-types/core/v1.js";
import { parseTime } from "../job/time.js";

const taintId = (t: Taint) => `${t.key}=${t.value ?? ""}:${t.effect}`;

/**
 * When each NoExecute taint started, per node: its timeAdded when it has
 * one (the node lifecycle controller always stamps it), else when this
 * controller first saw it (upstream times every toleration that way).
 */
export class TaintStarts {
  private readonly seen = new Map<string, Map<string, number>>();

  /** Records taints new on the node, forgets ones gone from it. */
  observe(nodeName: string, seen: { taints: readonly Taint[]; now: number }): void {
    const { taints, now } = seen;
    const before = this.seen.get(nodeName);
    const after = new Map<string, number>();
    for (const t of taints) after.set(taintId(t), before?.get(taintId(t)) ?? now);
    if (after.size === 0) this.seen.delete(nodeName);
    else this.seen.set(nodeName, after);
  }

  forget(nodeName: string): void {
    this.seen.delete(nodeName);
  }

  /** When `taint` on `on.nodeName` started; `on.now` if it was never observed. */
  since(taint: Taint, on: { nodeName: string; now: number }): number {
    return parseTime(taint.timeAdded) ?? this.seen.get(on.nodeName)?.get(taintId(taint)) ?? on.now;
  }
}
