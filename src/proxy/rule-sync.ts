/**
 * Applying a rendered ruleset, full or partial, as upstream's proxier
 * since 1.27: the first sync, the first after a failed restore, and one
 * every `fullSyncPeriodMs` read the tables (iptables-save), check the
 * jumps from the built-in chains and write every chain; the others write
 * only the top-level chains and the service chains that changed,
 * trusting what the last successful restore left. A partial restore that
 * meets a kernel that drifted (a chain gone) fails, and the next sync is
 * full.
 */
import { type Clock, realClock } from "../client/util/clock.js";
import type { Iptables } from "./iptables.js";
import { type Jump, missingJumps } from "./jumps.js";
import { planRestore, type WrittenChains } from "./partial.js";
import { restoreText } from "./restore.js";
import type { BuiltRules } from "./rules.js";

/** Upstream's FullSyncPeriod. */
export const FULL_SYNC_PERIOD_MS = 60 * 60 * 1000;

export interface AppliedSync {
  readonly full: boolean;
  /** Lines of iptables-restore input. */
  readonly lines: number;
  /** Service chains left out as unchanged. */
  readonly unchanged: number;
  /** Milliseconds spent in iptables-save (0 for a partial sync). */
  readonly saveMs: number;
  readonly restoreMs: number;
}

export class RuleSync {
  private written: WrittenChains | undefined;
  private lastFull = Number.NEGATIVE_INFINITY;
  private readonly clock: Clock;
  private readonly fullSyncPeriodMs: number;

  constructor(
    private readonly iptables: Iptables,
    private readonly opts: {
      /** Jumps from built-in chains to ensure on full syncs. */
      readonly jumps: readonly Jump[];
      /** A full sync at least this often (default one hour, as upstream). */
      readonly fullSyncPeriodMs?: number;
      readonly clock?: Clock;
    },
  ) {
    this.clock = opts.clock ?? realClock;
    this.fullSyncPeriodMs = opts.fullSyncPeriodMs ?? FULL_SYNC_PERIOD_MS;
  }

  /** Makes the next sync a full one (start, cleanup, rules changed behind our back). */
  invalidate(): void {
    this.written = undefined;
  }

  async apply(built: BuiltRules): Promise<AppliedSync> {
    const now = this.clock.now();
    const previous = now - this.lastFull < this.fullSyncPeriodMs ? this.written : undefined;
    let saveMs = 0;
    let existing: string[] = [];
    if (!previous) {
      const t0 = performance.now();
      const saved = await this.iptables.save();
      saveMs = performance.now() - t0;
      const missing = missingJumps(saved, this.opts.jumps);
      if (missing.length > 0) await this.iptables.ensureJumps(missing);
      existing = saved.get("nat")?.chains ?? [];
    }
    const plan = planRestore(built, previous ? { previous } : { existing });
    const text = restoreText(plan.rules, { stale: plan.stale });
    // Until this restore is known to have gone through, the kernel's state is unknown.
    this.written = undefined;
    const t1 = performance.now();
    await this.iptables.restore(text);
    const restoreMs = performance.now() - t1;
    this.written = plan.written;
    if (!previous) this.lastFull = now;
    return {
      full: !previous,
      lines: text.split("\n").length - 1,
      unchanged: plan.unchanged,
      saveMs,
      restoreMs,
    };
  }
}
